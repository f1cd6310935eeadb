import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PostEntity } from '@sharepool/content';

/**
 * One share's code (migration 1764001300000-share-links), with the facts of the
 * share that never change, so the redirect and the counters read no other table.
 * The share is named by its entity's name: libs/sharing sits above libs/links
 * (a share is given its code when it is made), so links cannot import it.
 */
@Entity('share_links')
@Check('share_links_code_shape', `code ~ '^[0-9A-Za-z]{8,32}$'`)
@Index('share_links_code', ['code'], { unique: true })
@Index('share_links_by_post', ['postId'])
export class ShareLinkEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'share_links_pkey' })
  shareId: string;

  @OneToOne('ShareEntity', { nullable: false })
  @JoinColumn({ name: 'share_id', foreignKeyConstraintName: 'share_links_share_fk' })
  share: Relation<object>;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { nullable: false })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'share_links_post_fk' })
  post: Relation<PostEntity>;

  @Column({ type: 'uuid' })
  nicheId: string;

  @Column({ type: 'uuid' })
  sharerId: string;

  @Column({ type: 'uuid' })
  authorId: string;

  @Column({ type: 'text' })
  network: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
