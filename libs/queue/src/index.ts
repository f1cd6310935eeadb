export * from './job-catalogue.js';
export * from './job-queue.service.js';
export * from './outbox.entity.js';
export * from './outbox.service.js';
export * from './queue.module.js';
export * from './bull-connections.js';
