export * from './relationship-share.entity.js';
export * from './relationship-window.entity.js';
export * from './relationship.entity.js';
export * from './relationship.record.js';
export * from './relationships.module.js';
export * from './relationships.service.js';
export * from './trust-review.service.js';
