import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { PostsService, type Post, postTitle } from '@sharepool/content';
import { TransactionRunner } from '@sharepool/database';
import { type Actor, ConflictError, InvalidInputError, NotFoundError, type Page, type PageRequest, requireRole } from '@sharepool/kernel';
import { validateReason } from '@sharepool/members';
import { NotificationsService } from '@sharepool/notifications';
import { TrustLevels } from '@sharepool/trust';

export type ModerationAction = 'APPROVE' | 'REJECT';

/** Moderators review submissions before anyone can share them. */
@Injectable()
export class ModerationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly posts: PostsService,
    private readonly audit: AuditLog,
    private readonly trust: TrustLevels,
    private readonly notifications: NotificationsService,
  ) {}

  /** Posts awaiting review, oldest first. */
  queue(actor: Actor, page: PageRequest): Promise<Page<Post>> {
    requireRole(actor, 'MODERATOR', 'READ');
    return this.posts.reviewQueue(page);
  }

  /**
   * Approves a post, or rejects it with a reason the author can act on (its
   * budget then goes back to the author). A post is moderated once; a post
   * that skipped review (its author's trust level allows that) can still be
   * rejected.
   */
  async moderate(actor: Actor, input: { postId: string; action: ModerationAction; reason?: string | null }): Promise<Post> {
    const moderator = requireRole(actor, 'MODERATOR');
    const reason =
      input.action === 'REJECT' ? validateReason(input.reason ?? '') : input.reason?.trim() ? validateReason(input.reason) : null;
    if (input.action !== 'APPROVE' && input.action !== 'REJECT') throw new InvalidInputError('action', 'action is APPROVE or REJECT');
    return this.transactions.run(async (tx) => {
      const post = await this.posts.lockedPost(tx, input.postId);
      if (!post) throw new NotFoundError('Post');
      const to = input.action === 'APPROVE' ? 'APPROVED' : 'REJECTED';
      if (post.status === 'APPROVED' && to === 'REJECTED' && !(await this.posts.skippedReview(tx, post.id))) {
        throw new ConflictError('This post was approved by a moderator: it cannot be rejected now');
      }
      const moderated = await this.posts.transition(tx, post, to, {
        rejectionReason: to === 'REJECTED' ? reason! : undefined,
        moderatorId: moderator.memberId,
      });
      await this.audit.record(tx, moderator, {
        action: to === 'APPROVED' ? 'POST_APPROVED' : 'POST_REJECTED',
        targetType: 'Post',
        targetId: post.id,
        reason,
      });
      // An approved post counts towards the author's next trust level.
      if (to === 'APPROVED') await this.trust.reviewSoon(tx, [post.authorId]);
      await this.notifications.add(tx, {
        memberId: post.authorId,
        kind: to === 'APPROVED' ? 'POST_APPROVED' : 'POST_REJECTED',
        postId: post.id,
        details: { postTitle: postTitle(moderated), ...(reason ? { reason } : {}) },
      });
      return moderated;
    });
  }
}
