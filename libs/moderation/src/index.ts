export * from './moderation.module.js';
export * from './moderation.service.js';
export * from './sharing-pause.entity.js';
export * from './sharing-pauses.service.js';
