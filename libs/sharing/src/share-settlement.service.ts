import { Injectable } from '@nestjs/common';
import { httpUrlOrNull } from '@sharepool/channels';
import { PostsService, postTitle } from '@sharepool/content';
import { entityFields, TransactionRunner, type Tx } from '@sharepool/database';
import { LedgerService } from '@sharepool/ledger';
import { NotificationsService } from '@sharepool/notifications';
import { derivedTransferId } from './share-lifecycle.js';
import { ShareEntity, type ShareStatus } from './share.entity.js';
import { readShare, type Share, SHARE_FIELDS } from './share.fields.js';

const SHARE_ID = entityFields(ShareEntity, ['id']);

/** A share the network accepted, and what it answered. */
export interface PublishedShare {
  readonly shareId: string;
  readonly result: { readonly externalId: string; readonly externalUrl: string | null };
}

/**
 * How a share ends: POSTED pays the sharer (the hold settles to them) and
 * counts in reciprocity, for a batch of shares at once; FAILED and CANCELLED,
 * inside the caller's transaction, void the hold, so the credits go back to the
 * post's budget, or to the author when the post was withdrawn or rejected
 * meanwhile.
 */
@Injectable()
export class ShareSettlement {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly posts: PostsService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Records shares the networks accepted, in one transaction and one round trip
   * whatever their number (the database's shares_record_posted): each share not
   * final yet becomes POSTED (a share the sweeper took back is still recorded:
   * the post is live), its post counts it, its hold settles to the sharer and
   * reciprocity grows. Returns, per share, whether it was recorded (false when
   * it was already final).
   */
  async recordPosted(published: readonly PublishedShare[]): Promise<boolean[]> {
    if (published.length === 0) return [];
    const rows = await this.transactions.atomic(
      `SELECT ${SHARE_ID.sql('s')} FROM shares_record_posted($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5) AS s(id)`,
      [
        published.map((p) => p.shareId),
        published.map((p) => p.result.externalId.slice(0, 500)),
        published.map((p) => httpUrlOrNull(p.result.externalUrl)),
        published.map((p) => derivedTransferId(p.shareId, 'settle')),
        'Shared a post',
      ],
    );
    const recorded = new Set(rows.map((row) => SHARE_ID.read(row).id));
    return published.map((p) => recorded.has(p.shareId));
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
  ): Promise<Share | null> {
    const [row] = await tx.query(
      `UPDATE shares s SET status = $2, failure_reason = $3, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE s.id = $1 AND s.status = ANY($4::text[]) AND ($5::uuid IS NULL OR s.lease_token = $5)
        RETURNING ${SHARE_FIELDS.sql('s')}`,
      [shareId, to, reason?.slice(0, 1000) ?? null, from, leaseToken ?? null],
    );
    if (!row) return null;
    const share = readShare(row);
    // The post row before the ledger's accounts, as everywhere: a withdrawal running now either
    // sees this hold released or leaves the release to be refunded here.
    const post = await this.posts.lockForShare(tx, share.postId);
    await this.ledger.void(tx, { id: derivedTransferId(share.id, 'void'), pendingId: share.holdId });
    if (post!.status !== 'APPROVED') await this.posts.refundEscrow(tx, share.postId, share.authorId);
    // A failure is the sharer's to know (a cancellation is their own doing, or their post's end).
    if (to === 'FAILED') {
      await this.notifications.add(tx, {
        memberId: share.sharerId,
        kind: 'SHARE_FAILED',
        postId: share.postId,
        shareId: share.id,
        peerId: share.authorId,
        details: { postTitle: postTitle(post!), network: share.network, reason: share.failureReason ?? undefined },
      });
    }
    return share;
  }
}
