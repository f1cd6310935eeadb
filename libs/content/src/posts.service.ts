import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  cursorTimeSql,
  decodeCursor,
  isUniqueViolation,
  keysetPage,
  pgErrorCode,
  PG,
  TransactionRunner,
  type Tx,
} from '@sharepool/database';
import { AuditLog } from '@sharepool/audit';
import type { TrustLevel } from '@sharepool/config';
import {
  type Actor,
  DAY_MS,
  hasRole,
  InvalidInputError,
  NotFoundError,
  type Page,
  type PageRequest,
  requireMember,
} from '@sharepool/kernel';
import { LedgerService } from '@sharepool/ledger';
import { Outbox } from '@sharepool/queue';
import { CreditsPerShareAboveLevelError, DailyCapReachedError, TrustLevels } from '@sharepool/trust';
import { BudgetBelowOneShareError, PostAlreadySubmittedError, PostNotEditableError } from './content.errors.js';
import { assertPostTransition } from './post-lifecycle.js';
import { type PostEntity, type PostStatus } from './post.entity.js';
import { type Post, POST_FROM, POST_SELECT, readPost } from './post.fields.js';
import { normalisePostUrl } from './post-url.js';

export interface SubmitPostInput {
  readonly url: string;
  readonly nicheId: string;
  readonly title?: string | null;
  readonly summary?: string | null;
  readonly suggestedMessage?: string | null;
  readonly creditsPerShare: number;
  readonly budget: number;
}

/** What the author may change while the post waits for review; a field left out stays as it is. */
export interface EditPostInput {
  /** Null or empty: the page's own title (or its address until there is one). */
  readonly title?: string | null;
  readonly summary?: string | null;
}

export const CREDITS_PER_SHARE = { min: 1, max: 100 } as const;

/** Optional text: trimmed, null when empty, BAD_USER_INPUT on `field` when longer than `max`. */
function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > max) throw new InvalidInputError(field, `${field} is at most ${max} characters`);
  return text === '' ? null : text;
}

/** Submitting, reading and withdrawing posts; the budget moves through the ledger. */
@Injectable()
export class PostsService {
  private readonly logger = new Logger('PostsService');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly trust: TrustLevels,
    private readonly audit: AuditLog,
  ) {}

  /**
   * A new post awaiting review, within what the author's trust level allows
   * (posts a day, credits per share); at a level whose posts skip review it is
   * APPROVED at once, and the audit log says so. Its budget moves from the
   * author's balance to the post's escrow in the same transaction; the page
   * preview is filled in afterwards by a job, so submitting never waits for
   * the page.
   */
  async submit(actor: Actor, input: SubmitPostInput): Promise<Post> {
    const author = requireMember(actor, 'SUBMIT');
    const url = normalisePostUrl(input.url);
    const title = optionalText(input.title, 'title', 200);
    const summary = optionalText(input.summary, 'summary', 500);
    const suggestedMessage = optionalText(input.suggestedMessage, 'suggestedMessage', 3000);
    const { creditsPerShare, budget } = input;
    if (!Number.isInteger(creditsPerShare) || creditsPerShare < CREDITS_PER_SHARE.min || creditsPerShare > CREDITS_PER_SHARE.max) {
      throw new InvalidInputError(
        'creditsPerShare',
        `creditsPerShare is a whole number from ${CREDITS_PER_SHARE.min} to ${CREDITS_PER_SHARE.max}`,
      );
    }
    if (!Number.isInteger(budget)) throw new InvalidInputError('budget', 'The budget is a whole number of credits');
    if (budget < creditsPerShare) throw new BudgetBelowOneShareError(budget, creditsPerShare);
    const id = randomUUID();
    return this.transactions.run(async (tx) => {
      const { level, privileges } = await this.trust.privilegesFor(tx, author.memberId, true);
      if (creditsPerShare > privileges.maxCreditsPerShare) throw new CreditsPerShareAboveLevelError(privileges.maxCreditsPerShare, level);
      await this.checkDailyPosts(tx, author.memberId, privileges.postsPerDay, level);
      const approved = privileges.postsSkipReview;
      try {
        await tx.query(
          `INSERT INTO posts (id, author_id, niche_id, url, title, summary, suggested_message, credits_per_share, status, moderated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10 THEN now() END)`,
          [
            id,
            author.memberId,
            input.nicheId,
            url,
            title,
            summary,
            suggestedMessage,
            creditsPerShare,
            approved ? 'APPROVED' : 'PENDING_REVIEW',
            approved,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error, 'posts_active_url')) throw new PostAlreadySubmittedError();
        if (pgErrorCode(error) === PG.foreignKeyViolation) throw new NotFoundError('Niche', { field: 'nicheId' });
        throw error;
      }
      await this.ledger.openEscrowAccount(tx, id, author.memberId);
      await this.ledger.transfer(tx, {
        id: randomUUID(),
        debit: { member: author.memberId },
        credit: { escrow: id },
        amount: budget,
        kind: 'CAMPAIGN_FUNDING',
        postId: id,
        memberId: author.memberId,
        memo: 'Budget for shares of your post',
      });
      await this.outbox.add(tx, 'post.unfurl', { postId: id }, { jobId: `unfurl:${id}` });
      if (approved) {
        await this.audit.record(tx, author, {
          action: 'POST_APPROVED_ON_SUBMISSION',
          targetType: 'Post',
          targetId: id,
          reason: `Posts of ${level} members skip review`,
          details: { trustLevel: level },
        });
        // An approved post counts towards the next trust level.
        await this.trust.reviewSoon(tx, [author.memberId]);
      }
      return (await this.lockedPost(tx, id))!;
    });
  }

  /** RATE_LIMITED when the author already submitted `cap` posts in the last 24 hours, saying when the next is possible. */
  private async checkDailyPosts(tx: Tx, authorId: string, cap: number, level: TrustLevel): Promise<void> {
    const recent = await tx.query<{ created: Date; now: Date }>(
      `SELECT created_at AS created, now() AS now FROM posts WHERE author_id = $1 AND created_at > now() - interval '24 hours'
        ORDER BY created_at DESC LIMIT $2`,
      [authorId, cap],
    );
    if (recent.length < cap) return;
    // The oldest of the last `cap` posts frees a place when it turns 24 hours old.
    const oldest = recent[cap - 1]!;
    throw new DailyCapReachedError('posts', cap, level, new Date(oldest.created.getTime() + DAY_MS), oldest.now);
  }

  /** Whether a post is APPROVED because its author's level skips review (no moderator has looked at it). */
  async skippedReview(tx: Tx, postId: string): Promise<boolean> {
    const [row] = await tx.query(
      `SELECT 1 FROM posts WHERE id = $1 AND status = 'APPROVED' AND moderated_by IS NULL AND moderated_at IS NOT NULL`,
      [postId],
    );
    return row !== undefined;
  }

  /**
   * The author's review record at a point in time, for trust levels: posts
   * approved (by a moderator or on submission), posts rejected since each of
   * `rejectedSince`, and rejected ones among each `lastPosts` most recent
   * reviewed posts.
   */
  async reviewRecord(
    authorId: string,
    query: { readonly rejectedSince: readonly Date[]; readonly lastPosts: readonly number[] },
  ): Promise<{ approved: number; rejectedSince: number[]; rejectedOfLast: number[] }> {
    const [row] = await this.transactions.query<{ approved: number; rejectedSince: number[]; rejectedOfLast: number[] }>(
      `SELECT (SELECT count(*)::int FROM posts WHERE author_id = $1 AND moderated_at IS NOT NULL AND status <> 'REJECTED') AS approved,
              ARRAY(SELECT (SELECT count(*)::int FROM posts WHERE author_id = $1 AND status = 'REJECTED' AND moderated_at >= s.since)
                      FROM unnest($2::timestamptz[]) WITH ORDINALITY AS s(since, n) ORDER BY s.n) AS "rejectedSince",
              ARRAY(SELECT (SELECT count(*)::int FROM (SELECT status FROM posts WHERE author_id = $1 AND moderated_at IS NOT NULL
                                                       ORDER BY created_at DESC, id DESC LIMIT l.n) last WHERE last.status = 'REJECTED')
                      FROM unnest($3::int[]) WITH ORDINALITY AS l(n, i) ORDER BY l.i) AS "rejectedOfLast"`,
      [authorId, query.rejectedSince, query.lastPosts],
    );
    return row!;
  }

  /** Withdraws the actor's own post; what is left of its budget goes back to them. */
  async withdraw(actor: Actor, postId: string): Promise<Post> {
    const author = requireMember(actor, 'SUBMIT');
    return this.transactions.run(async (tx) => {
      const post = await this.lockedPost(tx, postId);
      if (!post || post.authorId !== author.memberId) throw new NotFoundError('Post');
      return this.transition(tx, post, 'WITHDRAWN');
    });
  }

  /**
   * The author's own title and summary for a post waiting for review, e.g. when
   * the page's preview could not be read. A preview that arrives later fills
   * only what is still empty, so the author's words stay.
   */
  async edit(actor: Actor, postId: string, changes: EditPostInput): Promise<Post> {
    const author = requireMember(actor, 'SUBMIT');
    const title = changes.title === undefined ? undefined : optionalText(changes.title, 'title', 200);
    const summary = changes.summary === undefined ? undefined : optionalText(changes.summary, 'summary', 500);
    return this.transactions.run(async (tx) => {
      const post = await this.lockedPost(tx, postId);
      if (!post || post.authorId !== author.memberId) throw new NotFoundError('Post');
      if (post.status !== 'PENDING_REVIEW') throw new PostNotEditableError(post.status);
      await tx.query(
        `UPDATE posts SET title = CASE WHEN $2::boolean THEN $3::text ELSE title END, summary = CASE WHEN $4::boolean THEN $5::text ELSE summary END,
                updated_at = now()
          WHERE id = $1`,
        [postId, title !== undefined, title ?? null, summary !== undefined, summary ?? null],
      );
      return (await this.lockedPost(tx, postId))!;
    });
  }

  /**
   * Moves a locked post to `to` (a legal transition, else CONFLICT). Leaving
   * APPROVED or PENDING_REVIEW for good refunds the escrow to the author; holds
   * of shares still in flight stay until those shares end.
   */
  async transition(tx: Tx, post: Post, to: PostStatus, changes: { rejectionReason?: string; moderatorId?: string } = {}): Promise<Post> {
    assertPostTransition(post.status, to);
    await tx.query(
      `UPDATE posts SET status = $2, rejection_reason = $3, moderated_by = coalesce($4, moderated_by),
              moderated_at = CASE WHEN $4::uuid IS NULL THEN moderated_at ELSE now() END, updated_at = now()
        WHERE id = $1`,
      [post.id, to, changes.rejectionReason ?? null, changes.moderatorId ?? null],
    );
    if (to === 'REJECTED' || to === 'WITHDRAWN') await this.refundEscrow(tx, post.id, post.authorId);
    return (await this.lockedPost(tx, post.id))!;
  }

  /**
   * Returns what a closed (rejected or withdrawn) post's escrow can spare to its
   * author. Called on closing and again whenever a share of it ends and
   * releases its hold, so a closed post keeps no credits.
   */
  async refundEscrow(tx: Tx, postId: string, authorId: string): Promise<void> {
    // Locked before the read: a share ending meanwhile releases its hold either before this read or after this
    // transaction, when it finds the post closed and refunds it itself; never unseen in between.
    await this.ledger.lockAccounts(tx, [{ escrow: postId }, { member: authorId }]);
    const { available } = await this.ledger.balance(tx, { escrow: postId });
    if (available <= 0) return;
    await this.ledger.transfer(tx, {
      id: randomUUID(),
      debit: { escrow: postId },
      credit: { member: authorId },
      amount: available,
      kind: 'CAMPAIGN_REFUND',
      postId,
      memberId: authorId,
      memo: 'Unused budget returned',
    });
  }

  /** The post row, locked for the rest of the transaction. */
  async lockedPost(tx: Tx, postId: string): Promise<Post | null> {
    const [row] = await tx.query(`SELECT ${POST_SELECT} FROM ${POST_FROM} WHERE p.id = $1 FOR UPDATE OF p`, [postId]);
    return row ? readPost(row) : null;
  }

  /**
   * The post, locked against changes of its status for the rest of the
   * transaction (FOR SHARE: shares of one post do not wait for each other), so
   * a share made or ended now sees the post as it stays until commit.
   */
  async lockForShare(tx: Tx, postId: string): Promise<Post | null> {
    const [row] = await tx.query(`SELECT ${POST_SELECT} FROM ${POST_FROM} WHERE p.id = $1 FOR SHARE OF p`, [postId]);
    return row ? readPost(row) : null;
  }

  /** Posts by id in one query (for loaders); visibility is the caller's `isVisible`. */
  async findByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    return (await this.transactions.query(`SELECT ${POST_SELECT} FROM ${POST_FROM} WHERE p.id = ANY($1::uuid[])`, [ids])).map(readPost);
  }

  /** Approved posts are public; others only to their author and to moderators. */
  isVisible(actor: Actor, post: Post): boolean {
    return post.status === 'APPROVED' || (actor.kind === 'member' && actor.memberId === post.authorId) || hasRole(actor, 'MODERATOR');
  }

  /** Whether `actor` may read the post's private fields (rejection reason, its shares). */
  isAuthorOrModerator(actor: Actor, post: Post): boolean {
    return (actor.kind === 'member' && actor.memberId === post.authorId) || hasRole(actor, 'MODERATOR');
  }

  /** The actor's own posts, newest first, optionally of one status. */
  async listOwn(actor: Actor, page: PageRequest, status: PostStatus | null): Promise<Page<Post>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const rows = await this.transactions.query<{ cursorTime: string }>(
      `SELECT ${POST_SELECT}, ${cursorTimeSql('p.created_at')} AS "cursorTime" FROM ${POST_FROM}
        WHERE p.author_id = $1 AND ($2::text IS NULL OR p.status = $2)
          AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3::timestamptz, $4::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $5`,
      [me.memberId, status, after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map((row) => ({ ...readPost(row), cursorTime: row.cursorTime })),
      page,
      (p) => [p.cursorTime, p.id],
      async () =>
        Number(
          (
            await this.transactions.query<{ n: number }>(
              `SELECT count(*) AS n FROM posts WHERE author_id = $1 AND ($2::text IS NULL OR status = $2)`,
              [me.memberId, status],
            )
          )[0]!.n,
        ),
    );
  }

  /** Posts waiting for review, oldest first. */
  async reviewQueue(page: PageRequest): Promise<Page<Post>> {
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const rows = await this.transactions.query<{ cursorTime: string }>(
      `SELECT ${POST_SELECT}, ${cursorTimeSql('p.created_at')} AS "cursorTime" FROM ${POST_FROM}
        WHERE p.status = 'PENDING_REVIEW' AND ($1::timestamptz IS NULL OR (p.created_at, p.id) > ($1::timestamptz, $2::uuid))
        ORDER BY p.created_at, p.id LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map((row) => ({ ...readPost(row), cursorTime: row.cursorTime })),
      page,
      (p) => [p.cursorTime, p.id],
      async () =>
        Number((await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM posts WHERE status = 'PENDING_REVIEW'`))[0]!.n),
    );
  }

  /**
   * Fills what the author left empty from the page's preview; what the author
   * wrote is never overwritten. Running it twice changes nothing more.
   */
  async applyPreview(
    postId: string,
    preview: { title: string | null; description: string | null; imageUrl: string | null } | { error: string },
  ): Promise<void> {
    if ('error' in preview) {
      await this.transactions.query(`UPDATE posts SET preview_status = 'FAILED', preview_error = $2, updated_at = now() WHERE id = $1`, [
        postId,
        preview.error.slice(0, 500),
      ]);
      return;
    }
    await this.transactions.query(
      `UPDATE posts SET title = coalesce(title, $2), summary = coalesce(summary, $3), image_url = coalesce(image_url, $4),
              preview_status = 'DONE', preview_error = NULL, updated_at = now()
        WHERE id = $1`,
      [postId, preview.title, preview.description, preview.imageUrl],
    );
  }

  /** The address of a post whose preview is still to be read, or null when there is nothing to do. */
  async previewTarget(postId: string): Promise<string | null> {
    const [row] = await this.transactions.query<Pick<PostEntity, 'url'>>(
      `SELECT url FROM posts WHERE id = $1 AND preview_status <> 'DONE'`,
      [postId],
    );
    if (!row) this.logger.debug(`post ${postId}: preview already read or post gone`);
    return row?.url ?? null;
  }
}
