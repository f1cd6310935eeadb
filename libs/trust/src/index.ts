export * from './member-trust.entity.js';
export * from './trust-daily-review.entity.js';
export * from './trust-levels.service.js';
export * from './trust-review-due.entity.js';
export * from './trust.errors.js';
export * from './trust.module.js';
