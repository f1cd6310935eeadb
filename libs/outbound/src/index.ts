export * from './address-policy.js';
export * from './deadline.js';
export * from './guarded-connector.js';
export * from './outbound-http.js';
export * from './outbound-response.js';
export * from './outbound.errors.js';
export * from './outbound.module.js';
export * from './outbound.types.js';
