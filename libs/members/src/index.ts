export * from './member-input.rules.js';
export * from './member-niche.entity.js';
export * from './member-reads.view.js';
export * from './member.entity.js';
/** The field selections stay inside the lib: other libs read members through its functions and views. */
export type { Member, Niche } from './member.fields.js';
export * from './members.errors.js';
export * from './members.module.js';
export * from './members.service.js';
export * from './niche.entity.js';
export * from './niches.service.js';
