export * from './notification-kinds.js';
export * from './notification-preference.entity.js';
export * from './notification.entity.js';
export * from './notification.record.js';
export * from './notifications.module.js';
export * from './notifications.service.js';
