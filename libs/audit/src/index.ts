export * from './audit-log.entity.js';
export * from './audit-log.service.js';
export * from './audit.module.js';
