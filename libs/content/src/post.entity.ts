import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { IndexBySql, oneOf } from '@sharepool/database';
import { MemberEntity, NicheEntity } from '@sharepool/members';

export const POST_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const PREVIEW_STATUSES = ['PENDING', 'DONE', 'FAILED'] as const;
export type PreviewStatus = (typeof PREVIEW_STATUSES)[number];

/**
 * A post a member submitted for peers to share. Its budget lives in the
 * ledger: the escrow account with the post's id. Its status changes only along
 * post_transitions (trigger posts_transition).
 */
@Entity('posts')
@Check('posts_url_check', `length(url) <= 2048`)
@Check('posts_title_check', `length(title) <= 200`)
@Check('posts_summary_check', `length(summary) <= 500`)
@Check('posts_image_url_check', `length(image_url) <= 2048`)
@Check('posts_suggested_message_check', `length(suggested_message) <= 3000`)
@Check('posts_credits_per_share_check', `credits_per_share BETWEEN 1 AND 100`)
@Check('posts_status_check', `status IN ('PENDING_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN')`)
@Check('posts_rejection_reason_check', `length(rejection_reason) <= 500`)
@Check('posts_preview_status_check', `preview_status IN ('PENDING', 'DONE', 'FAILED')`)
@Check('posts_posted_share_count_check', `posted_share_count >= 0`)
@Check('posts_rejection_reason', `(status = 'REJECTED') = (rejection_reason IS NOT NULL)`)
/** One active (pending or approved) post per author and page. */
@Index('posts_active_url', ['authorId', 'url'], { unique: true, where: `status IN ('PENDING_REVIEW', 'APPROVED')` })
@IndexBySql(`CREATE INDEX posts_by_author ON posts (author_id, created_at DESC, id DESC)`)
@Index('posts_review_queue', ['createdAt', 'id'], { where: `status = 'PENDING_REVIEW'` })
@IndexBySql(`CREATE INDEX posts_feed_order ON posts (niche_id, credits_per_share DESC, created_at DESC, id DESC) WHERE status = 'APPROVED'`)
@IndexBySql(
  `CREATE INDEX posts_feed_by_author ON posts (author_id, niche_id, credits_per_share DESC, created_at DESC, id DESC) WHERE status = 'APPROVED'`,
)
export class PostEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'posts_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'posts_author_id_fkey' })
  author: Relation<MemberEntity>;

  @Column({ type: 'uuid' })
  nicheId: string;

  @ManyToOne(() => NicheEntity, { nullable: false })
  @JoinColumn({ name: 'niche_id', foreignKeyConstraintName: 'posts_niche_id_fkey' })
  niche: Relation<NicheEntity>;

  @Column({ type: 'text' })
  url: string;

  /** Null until the member or the page preview gives one: see `postTitle`. */
  @Column({ type: 'text', nullable: true, comment: 'null until the member or the page preview gives one' })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'text', nullable: true })
  imageUrl: string | null;

  @Column({ type: 'text', nullable: true })
  suggestedMessage: string | null;

  @Column({ type: 'int' })
  creditsPerShare: number;

  @Column({ type: 'text', default: 'PENDING_REVIEW', transformer: oneOf(POST_STATUSES, 'posts.status') })
  status: PostStatus;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  moderatedBy: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'moderated_by', foreignKeyConstraintName: 'posts_moderated_by_fkey' })
  moderator: Relation<MemberEntity> | null;

  @Column({ type: 'timestamptz', nullable: true })
  moderatedAt: Date | null;

  @Column({ type: 'text', default: 'PENDING', transformer: oneOf(PREVIEW_STATUSES, 'posts.preview_status') })
  previewStatus: PreviewStatus;

  @Column({ type: 'text', nullable: true })
  previewError: string | null;

  @Column({ type: 'int', default: 0, comment: 'shares that reached POSTED, kept in the reward transaction' })
  postedShareCount: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
