export * from './content.errors.js';
export * from './content.module.js';
export * from './page-preview.js';
export * from './post-lifecycle.js';
export * from './post-preview.service.js';
export * from './post-url.js';
export * from './post.record.js';
export * from './posts.service.js';
