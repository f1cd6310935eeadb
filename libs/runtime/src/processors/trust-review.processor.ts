import { Process, Processor } from '@nestjs/bull';
import { TrustReview } from '@sharepool/relationships';

/** Promotes the members whose history changed since the last look. */
@Processor('trust.review')
export class TrustReviewProcessor {
  constructor(private readonly review: TrustReview) {}

  @Process()
  reviewDue() {
    return this.review.reviewDue();
  }
}

/** Once a day: the RFM window moves on, and levels failed for the grace period drop. */
@Processor('trust.daily')
export class TrustDailyProcessor {
  constructor(private readonly review: TrustReview) {}

  @Process()
  daily() {
    return this.review.daily();
  }
}
