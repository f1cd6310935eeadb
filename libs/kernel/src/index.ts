export * from './actor.js';
export * from './domain-errors.js';
export * from './page.js';
