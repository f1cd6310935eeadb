export * from './analytics.module.js';
export * from './analytics.service.js';
