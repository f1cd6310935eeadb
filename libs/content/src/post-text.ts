import type { Post } from './post.fields.js';

/** The post's title, or, until the page preview gives one, its address without the scheme. */
export function postTitle(post: Pick<Post, 'title' | 'url'>): string {
  return post.title ?? post.url.replace(/^https?:\/\//, '').slice(0, 200);
}

/** What a sharer posts unless they write their own: the suggested message, else the title. */
export function postMessage(post: Pick<Post, 'title' | 'url' | 'suggestedMessage'>): string {
  return post.suggestedMessage ?? postTitle(post);
}
