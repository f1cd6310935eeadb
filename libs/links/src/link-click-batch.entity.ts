import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A Redis batch of clicks already added to link_clicks (migration 1764001300000-share-links). */
@Entity('link_click_batches')
@Index('link_click_batches_by_age', ['appliedAt'])
export class LinkClickBatchEntity {
  @PrimaryColumn('bigint') id: string;
  @Column('timestamptz', { default: () => 'now()' }) appliedAt: Date;
}
