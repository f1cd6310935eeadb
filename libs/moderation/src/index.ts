export * from './moderation.module.js';
export * from './moderation.service.js';
export * from './pauses-in-force.view.js';
export * from './sharing-pause.entity.js';
export * from './sharing-pauses.service.js';
