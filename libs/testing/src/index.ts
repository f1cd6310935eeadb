export * from './gc-pressure.js';
export * from './movable-clock.js';
export * from './redis-keys.js';
export * from './test-database.js';
export * from './test-services.js';
export * from './test-environment.js';
