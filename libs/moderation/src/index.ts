export * from './moderation.module.js';
export * from './moderation.service.js';
export * from './sharing-pauses.service.js';
