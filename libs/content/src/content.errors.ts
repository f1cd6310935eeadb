import { ConflictError, InsufficientCreditsError } from '@sharepool/kernel';
import type { PostStatus } from './post.entity.js';

/** Only what moderators have not reviewed yet can change: peers see what was approved. */
export class PostNotEditableError extends ConflictError {
  constructor(status: PostStatus) {
    super(`This post is ${status === 'APPROVED' ? 'approved' : 'closed'}: only a post waiting for review can be edited`, { status });
  }
}

export class PostAlreadySubmittedError extends ConflictError {
  constructor() {
    super('You already have a post for this page waiting for review or approved', { field: 'url' });
  }
}

/** A budget that cannot pay a single share: the post could never be shared. */
export class BudgetBelowOneShareError extends InsufficientCreditsError {
  constructor(budget: number, creditsPerShare: number) {
    super(budget, creditsPerShare, `A budget of ${budget} cannot pay one share of ${creditsPerShare} credits`);
    // The web client shows it on the budget input.
    Object.assign(this.details, { field: 'budget' });
  }
}
