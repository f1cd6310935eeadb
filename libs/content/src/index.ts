export * from './content.errors.js';
export * from './content.module.js';
export * from './page-preview.js';
export * from './post-lifecycle.js';
export * from './post-preview.service.js';
export * from './post-text.js';
export * from './post-transition.entity.js';
export * from './post-with-budget.view.js';
export * from './post-url.js';
export * from './post.entity.js';
/** The field selection stays inside the lib: other libs read posts through PostsService and posts_with_budget. */
export type { Post } from './post.fields.js';
export * from './posts.service.js';
