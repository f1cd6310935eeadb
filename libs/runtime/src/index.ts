export * from './embedded-postgres.js';
export * from './embedded-redis.js';
export * from './free-port.js';
export * from './service-error.js';
export * from './services.js';
export * from './core.module.js';
export * from './domain-modules.js';
export * from './process-bootstrap.js';
