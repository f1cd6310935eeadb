import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A day whose review of levels (demotions after the grace period) was started: one a day. */
@Entity('trust_daily_reviews')
export class TrustDailyReviewEntity {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'trust_daily_reviews_pkey' })
  day: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;
}
