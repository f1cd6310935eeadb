import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ShareLinkEntity } from './share-link.entity.js';

/**
 * Unique human visits per share and UTC day (migration 1764001300000-share-links),
 * carrying the post, niche, sharer and author so that every counter is one
 * indexed read. Created WITH (fillfactor = 50) and no index holds `clicks`:
 * a flush's increments are HOT updates that stay on their page.
 */
@Entity('link_clicks', { comment: 'unique human visits per share and UTC day; added by the flush from Redis' })
@Check('link_clicks_positive', `clicks > 0`)
@Index('link_clicks_by_post', ['postId', 'day'])
@Index('link_clicks_by_author', ['authorId', 'day'])
@Index('link_clicks_by_sharer', ['sharerId', 'day'])
@Index('link_clicks_by_day', ['day'])
export class LinkClickEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'link_clicks_pkey' })
  shareId: string;

  @ManyToOne(() => ShareLinkEntity, { nullable: false })
  @JoinColumn({ name: 'share_id', referencedColumnName: 'shareId', foreignKeyConstraintName: 'link_clicks_share_fk' })
  link: Relation<ShareLinkEntity>;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'link_clicks_pkey' })
  day: string;

  @Column({ type: 'uuid' })
  postId: string;

  @Column({ type: 'uuid' })
  nicheId: string;

  @Column({ type: 'uuid' })
  sharerId: string;

  @Column({ type: 'uuid' })
  authorId: string;

  @Column({ type: 'int' })
  clicks: number;
}
