import { entityFields, type FieldsOf } from '@sharepool/database';
import { PostEntity } from './post.entity.js';

const POST_FIELDS = entityFields(PostEntity, [
  'id',
  'authorId',
  'nicheId',
  'url',
  'title',
  'summary',
  'imageUrl',
  'suggestedMessage',
  'creditsPerShare',
  'status',
  'rejectionReason',
  'postedShareCount',
  'previewStatus',
  'previewError',
  'createdAt',
]);

/** A post as the domain reads it, with its budget from the ledger. */
export type Post = FieldsOf<typeof POST_FIELDS> & {
  /** What the escrow can still pay: its balance minus the holds of shares in flight. */
  readonly budgetRemaining: number;
};

/** Posts with their escrows' balances, for content's own queries (other libs read the posts_with_budget view). */
export const POST_FROM = `posts p JOIN ledger_balances b ON b.account_id = p.id`;

/** The select list of Post over POST_FROM. */
export const POST_SELECT = `${POST_FIELDS.sql('p')}, b.available AS "budgetRemaining"`;

/** A row selected with POST_SELECT. */
export function readPost(row: Readonly<Record<string, unknown>>): Post {
  return { ...POST_FIELDS.read(row), budgetRemaining: Number(row.budgetRemaining) };
}
