import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { NotificationsModule } from '@sharepool/notifications';
import { MemberTrustEntity } from './member-trust.entity.js';
import { TrustDailyReviewEntity } from './trust-daily-review.entity.js';
import { TrustReviewDueEntity } from './trust-review-due.entity.js';
import { TrustLevels } from './trust-levels.service.js';

/** The trust lib's tables. */
export const TRUST_ENTITIES = [MemberTrustEntity, TrustReviewDueEntity, TrustDailyReviewEntity];

@Module({
  imports: [AuditModule, NotificationsModule, TypeOrmModule.forFeature(TRUST_ENTITIES)],
  providers: [TrustLevels],
  exports: [TrustLevels],
})
export class TrustModule {}
