export * from './network-limiter.js';
export * from './reciprocity.entity.js';
export * from './reciprocity.service.js';
export * from './share-activity.service.js';
export * from './share-delivery.service.js';
export * from './share-feed.service.js';
export * from './share-settlement.service.js';
export * from './share-sweeper.service.js';
export * from './share-lifecycle.js';
export * from './share.entity.js';
/** The field selection stays inside the lib. */
export type { Share } from './share.fields.js';
export * from './shares.service.js';
export * from './sharing.module.js';
