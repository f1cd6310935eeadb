export * from './ledger.errors.js';
export * from './ledger.module.js';
export * from './ledger.service.js';
export * from './ledger.types.js';
export * from './ledger-verifier.js';
export * from './ledger-statement.service.js';
