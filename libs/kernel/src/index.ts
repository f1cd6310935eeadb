export * from './actor.js';
export * from './clock.js';
export * from './domain-errors.js';
export * from './page.js';
