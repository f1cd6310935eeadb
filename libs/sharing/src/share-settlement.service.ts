import { Injectable } from '@nestjs/common';
import { PostsService } from '../../content/src/index.js';
import type { Tx } from '../../database/src/index.js';
import { LedgerService } from '../../ledger/src/index.js';
import { derivedTransferId, SHARE_COLUMNS, type ShareRecord, type ShareStatus } from './share.record.js';

/**
 * How a share ends, each inside the caller's transaction: POSTED pays the
 * sharer (the hold settles to them) and counts in reciprocity; FAILED and
 * CANCELLED void the hold, so the credits go back to the post's budget, or to
 * the author when the post was withdrawn or rejected meanwhile.
 */
@Injectable()
export class ShareSettlement {
  constructor(
    private readonly ledger: LedgerService,
    private readonly posts: PostsService,
  ) {}

  /**
   * Records a share as posted, if it is not final yet (a share the sweeper took
   * back is still recorded: the post is live). Returns false when it was final.
   */
  async posted(tx: Tx, shareId: string, result: { externalId: string; externalUrl: string | null }): Promise<boolean> {
    const [share] = await tx.query<ShareRecord>(
      `UPDATE shares s SET status = 'POSTED', posted_at = now(), external_id = $2, external_url = $3, failure_reason = NULL,
              lease_token = NULL, lease_expires_at = NULL, ambiguous = false, updated_at = now()
        WHERE s.id = $1 AND s.status IN ('SCHEDULED', 'POSTING') RETURNING ${SHARE_COLUMNS}`,
      [shareId, result.externalId.slice(0, 500), result.externalUrl?.slice(0, 2048) ?? null],
    );
    if (!share) return false;
    // The post row before the ledger's accounts: the order every use case locks them in.
    await tx.query(`UPDATE posts SET posted_share_count = posted_share_count + 1 WHERE id = $1`, [share.postId]);
    await this.ledger.settle(tx, { id: derivedTransferId(share.id, 'settle'), pendingId: share.holdId, memo: 'Shared a post' });
    await tx.query(
      `INSERT INTO reciprocity (sharer_id, author_id, shares, last_shared_at) VALUES ($1, $2, 1, now())
       ON CONFLICT (sharer_id, author_id) DO UPDATE SET shares = reciprocity.shares + 1, last_shared_at = now()`,
      [share.sharerId, share.authorId],
    );
    return true;
  }

  /**
   * Ends a share unpaid (FAILED or CANCELLED) when it is in one of `from`.
   * Returns the share, or null when it was not in those states.
   */
  async ended(
    tx: Tx,
    shareId: string,
    to: Extract<ShareStatus, 'FAILED' | 'CANCELLED'>,
    reason: string | null,
    from: readonly ShareStatus[],
    leaseToken?: string,
  ): Promise<ShareRecord | null> {
    const [share] = await tx.query<ShareRecord>(
      `UPDATE shares s SET status = $2, failure_reason = $3, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE s.id = $1 AND s.status = ANY($4::text[]) AND ($5::uuid IS NULL OR s.lease_token = $5)
        RETURNING ${SHARE_COLUMNS}`,
      [shareId, to, reason?.slice(0, 1000) ?? null, from, leaseToken ?? null],
    );
    if (!share) return null;
    // The post row before the ledger's accounts, as everywhere: a withdrawal running now either
    // sees this hold released or leaves the release to be refunded here.
    const [post] = await tx.query<{ status: string }>(`SELECT status FROM posts WHERE id = $1 FOR SHARE`, [share.postId]);
    await this.ledger.void(tx, { id: derivedTransferId(share.id, 'void'), pendingId: share.holdId });
    if (post!.status !== 'APPROVED') await this.posts.refundEscrow(tx, share.postId, share.authorId);
    return share;
  }
}
