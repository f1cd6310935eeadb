import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Unique human visits per share and UTC day (migration 1764001300000-share-links). Foreign key: link_clicks_share_fk → share_links. */
@Entity('link_clicks')
@Index('link_clicks_by_post', ['postId', 'day'])
@Index('link_clicks_by_author', ['authorId', 'day'])
@Index('link_clicks_by_sharer', ['sharerId', 'day'])
@Index('link_clicks_by_day', ['day'])
@Check('link_clicks_positive', `clicks > 0`)
export class LinkClickEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'link_clicks_pkey' }) shareId: string;
  @PrimaryColumn('date', { primaryKeyConstraintName: 'link_clicks_pkey' }) day: string;
  @Column('uuid') postId: string;
  @Column('uuid') nicheId: string;
  @Column('uuid') sharerId: string;
  @Column('uuid') authorId: string;
  @Column('int') clicks: number;
}
