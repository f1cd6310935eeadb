import { ConflictError } from '@sharepool/kernel';
import type { PostStatus } from './post.entity.js';

/**
 * A post's life cycle. The database holds the same table (post_transitions) and
 * refuses any other change, whoever writes.
 */
export const POST_TRANSITIONS: Readonly<Record<PostStatus, readonly PostStatus[]>> = {
  PENDING_REVIEW: ['APPROVED', 'REJECTED', 'WITHDRAWN'],
  // REJECTED: a moderator's verdict on a post that skipped review (ModerationService allows it for those only).
  APPROVED: ['WITHDRAWN', 'REJECTED'],
  REJECTED: [],
  WITHDRAWN: [],
};

const DESCRIBED: Record<PostStatus, string> = {
  PENDING_REVIEW: 'waiting for review',
  APPROVED: 'approved',
  REJECTED: 'rejected',
  WITHDRAWN: 'withdrawn',
};

export class PostTransitionError extends ConflictError {
  constructor(from: PostStatus, to: PostStatus) {
    super(`This post is ${DESCRIBED[from]}: it cannot be ${DESCRIBED[to]} now`, { status: from });
  }
}

export function assertPostTransition(from: PostStatus, to: PostStatus): void {
  if (!POST_TRANSITIONS[from].includes(to)) throw new PostTransitionError(from, to);
}

/** Posts that still pay for shares; the others keep no credits. */
export function isOpenForSharing(status: PostStatus): boolean {
  return status === 'APPROVED';
}
