import type { PostStatus, PreviewStatus } from './post.entity.js';

/** A post as the domain reads it, with its budget from the ledger. */
export interface PostRecord {
  readonly id: string;
  readonly authorId: string;
  readonly nicheId: string;
  readonly url: string;
  /** Null until the member or the page preview gives one: see `postTitle`. */
  readonly title: string | null;
  readonly summary: string | null;
  readonly imageUrl: string | null;
  readonly suggestedMessage: string | null;
  readonly creditsPerShare: number;
  /** What the escrow can still pay: its balance minus the holds of shares in flight. */
  readonly budgetRemaining: number;
  readonly status: PostStatus;
  readonly rejectionReason: string | null;
  readonly shareCount: number;
  readonly previewStatus: PreviewStatus;
  /** Why the page could not be read, when previewStatus is FAILED. */
  readonly previewError: string | null;
  readonly createdAt: Date;
}

/** The SELECT list of PostRecord over `posts p JOIN ledger_accounts e ON e.id = p.id`. */
export const POST_COLUMNS = `p.id, p.author_id AS "authorId", p.niche_id AS "nicheId", p.url, p.title, p.summary,
  p.image_url AS "imageUrl", p.suggested_message AS "suggestedMessage", p.credits_per_share AS "creditsPerShare",
  (e.posted - e.pending_out)::int AS "budgetRemaining", p.status, p.rejection_reason AS "rejectionReason",
  p.posted_share_count AS "shareCount", p.preview_status AS "previewStatus",
  p.preview_error AS "previewError", p.created_at AS "createdAt"`;

export const POST_FROM = `posts p JOIN ledger_accounts e ON e.id = p.id`;

/** The post's title, or, until the page preview gives one, its address without the scheme. */
export function postTitle(post: Pick<PostRecord, 'title' | 'url'>): string {
  return post.title ?? post.url.replace(/^https?:\/\//, '').slice(0, 200);
}

/** What a sharer posts unless they write their own: the suggested message, else the title. */
export function postMessage(post: Pick<PostRecord, 'title' | 'url' | 'suggestedMessage'>): string {
  return post.suggestedMessage ?? postTitle(post);
}
