export * from './member-input.rules.js';
export * from './member.record.js';
export * from './members.errors.js';
export * from './members.module.js';
export * from './members.service.js';
export * from './niches.service.js';
