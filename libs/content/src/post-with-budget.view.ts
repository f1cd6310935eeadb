import { ViewColumn, ViewEntity } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { LedgerBalanceView } from '@sharepool/ledger';
import { POST_STATUSES, type PostEntity, PREVIEW_STATUSES } from './post.entity.js';

/**
 * Posts with what their budgets can still pay: content's published read for
 * other libs' queries (the share feed, deliveries), so only content knows how
 * posts are laid out and where their budgets are. Postgres folds the view into
 * the query that reads it: the feed's reads still run along the posts' own
 * indexes, and a query that does not read the budget does not read the ledger
 * (a left join on the escrow's key, which the planner drops). To lock a post,
 * call PostsService. Migration 1764000820000; TypeORM leaves it alone
 * (synchronize: false) and the drift check compares this definition.
 */
@ViewEntity({
  name: 'posts_with_budget',
  synchronize: false,
  dependsOn: [LedgerBalanceView],
  expression: `SELECT p.id, p.author_id, p.niche_id, p.url, p.title, p.summary, p.image_url, p.suggested_message,
         p.credits_per_share, p.status, p.rejection_reason, p.posted_share_count, p.preview_status, p.preview_error, p.created_at,
         b.available AS budget_remaining
    FROM posts p LEFT JOIN ledger_balances b ON b.account_id = p.id`,
})
export class PostWithBudgetView {
  @ViewColumn() id: string;
  @ViewColumn() authorId: string;
  @ViewColumn() nicheId: string;
  @ViewColumn() url: string;
  @ViewColumn() title: string | null;
  @ViewColumn() summary: string | null;
  @ViewColumn() imageUrl: string | null;
  @ViewColumn() suggestedMessage: string | null;
  @ViewColumn() creditsPerShare: number;
  @ViewColumn({ transformer: oneOf(POST_STATUSES, 'posts_with_budget.status') }) status: PostEntity['status'];
  @ViewColumn() rejectionReason: string | null;
  @ViewColumn() postedShareCount: number;
  @ViewColumn({ transformer: oneOf(PREVIEW_STATUSES, 'posts_with_budget.preview_status') }) previewStatus: PostEntity['previewStatus'];
  @ViewColumn() previewError: string | null;
  @ViewColumn() createdAt: Date;
  /** Every post has its escrow from the moment it exists (PostsService.submit): never null. */
  @ViewColumn() budgetRemaining: number;
}
