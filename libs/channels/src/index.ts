export * from './channel.entity.js';
export * from './channel.record.js';
export * from './channels.module.js';
export * from './channels.service.js';
export * from './credential-cipher.js';
export * from './message-rules.js';
export * from './networks/index.js';
