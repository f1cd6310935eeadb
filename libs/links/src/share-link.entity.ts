import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One share's code (migration 1764001300000-share-links). Foreign keys: share_links_share_fk → shares, share_links_post_fk → posts. */
@Entity('share_links')
@Index('share_links_code', ['code'], { unique: true })
@Index('share_links_by_post', ['postId'])
@Check('share_links_code_shape', `code ~ '^[0-9A-Za-z]{8,32}$'`)
export class ShareLinkEntity {
  @PrimaryColumn('uuid') shareId: string;
  @Column('text') code: string;
  @Column('uuid') postId: string;
  @Column('uuid') nicheId: string;
  @Column('uuid') sharerId: string;
  @Column('uuid') authorId: string;
  @Column('text') network: string;
  @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
