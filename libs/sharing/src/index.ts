export * from './network-limiter.js';
export * from './reciprocity.service.js';
export * from './share-delivery.service.js';
export * from './share-settlement.service.js';
export * from './share-sweeper.service.js';
export * from './share.record.js';
export * from './shares.service.js';
export * from './sharing.module.js';
