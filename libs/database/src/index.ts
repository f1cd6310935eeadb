export * from './data-source-options.js';
export * from './database.module.js';
export * from './keyset-cursor.js';
export * from './keyset-page.js';
export * from './migrate.js';
export * from './postgres-errors.js';
export * from './snake-naming.strategy.js';
export * from './transaction-runner.js';
