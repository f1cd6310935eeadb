import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IndexBySql } from '@sharepool/database';

/**
 * Each POSTED share once, as relationships counted it (share_id: the share,
 * in table shares): the windows (RFM's 365 days, trust levels' days) and the
 * months of a pair are counted from these. No foreign keys: a derived record,
 * written with each POSTED share in its transaction.
 */
@Entity('relationship_shares', { comment: 'each POSTED share once, as relationships counted it (share_id: the share)' })
@Check('relationship_shares_reach_check', `reach >= 0`)
@Index('relationship_shares_by_author', ['authorId', 'postedAt'])
@Index('relationship_shares_by_sharer', ['sharerId', 'postedAt'])
/** All of them by time, for moving the RFM window on: a BRIN index, as they arrive in time order. */
@IndexBySql(`CREATE INDEX relationship_shares_by_time ON relationship_shares USING brin (posted_at)`)
export class RelationshipShareEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'relationship_shares_pkey' })
  authorId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'relationship_shares_pkey' })
  sharerId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'relationship_shares_pkey' })
  postedAt: Date;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'relationship_shares_pkey' })
  shareId: string;

  /** The audience of the share's channel when it was posted. */
  @Column({ type: 'int' })
  reach: number;
}
