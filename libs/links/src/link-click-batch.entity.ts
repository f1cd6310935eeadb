import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A Redis batch of clicks already added to link_clicks, kept an hour (migration 1764001300000-share-links). */
@Entity('link_click_batches')
@Index('link_click_batches_by_age', ['appliedAt'])
export class LinkClickBatchEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'link_click_batches_pkey' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  appliedAt: Date;
}
