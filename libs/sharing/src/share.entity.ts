import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ChannelEntity, type Network, NETWORKS } from '@sharepool/channels';
import { PostEntity } from '@sharepool/content';
import { IndexBySql, oneOf } from '@sharepool/database';
import { LedgerTransferEntity } from '@sharepool/ledger';
import { MemberEntity, NicheEntity } from '@sharepool/members';

/**
 * A share's life cycle (SHARE_TRANSITIONS): SCHEDULED ↔ POSTING while it is
 * tried; POSTED, FAILED and CANCELLED are final.
 */
export const SHARE_STATUSES = ['SCHEDULED', 'POSTING', 'POSTED', 'FAILED', 'CANCELLED'] as const;
export type ShareStatus = (typeof SHARE_STATUSES)[number];

/**
 * One peer's sharing of one post to one of its channels, with its delivery
 * state and lease. The post's author and niche are copied in, so a share's
 * reads and checks need not join its post.
 */
@Entity('shares')
@Check('shares_message_check', `length(message) BETWEEN 1 AND 10000`)
@Check('shares_credits_check', `credits > 0`)
@Check('shares_status_check', `status IN ('SCHEDULED', 'POSTING', 'POSTED', 'FAILED', 'CANCELLED')`)
@Check('shares_not_own_post', `author_id <> sharer_id`)
@Check('shares_posted', `(status = 'POSTED') = (posted_at IS NOT NULL)`)
@Check('shares_posted_reach', `(status = 'POSTED') = (reach IS NOT NULL) AND (reach IS NULL OR reach >= 0)`)
/** A member shares a post at most once per channel (a failed or cancelled share may be tried again). */
@Index('shares_once_per_channel', ['postId', 'sharerId', 'channelId'], { unique: true, where: `status NOT IN ('FAILED', 'CANCELLED')` })
@IndexBySql(`CREATE INDEX shares_by_sharer ON shares (sharer_id, created_at DESC, id DESC)`)
@IndexBySql(`CREATE INDEX shares_by_post ON shares (post_id, created_at DESC, id DESC)`)
@Index('shares_by_channel', ['channelId'], { where: `status IN ('SCHEDULED', 'POSTING')` })
@Index('shares_due', ['nextAttemptAt'], { where: `status = 'SCHEDULED'` })
@Index('shares_leased', ['leaseExpiresAt'], { where: `status = 'POSTING'` })
@Index('shares_posted_by_sharer', ['sharerId', 'postedAt'], { where: `status = 'POSTED'` })
@Index('shares_posted_by_author', ['authorId', 'postedAt'], { where: `status = 'POSTED'` })
export class ShareEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'shares_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { nullable: false })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'shares_post_id_fkey' })
  post: Relation<PostEntity>;

  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'shares_author_id_fkey' })
  author: Relation<MemberEntity>;

  @Column({ type: 'uuid' })
  sharerId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'sharer_id', foreignKeyConstraintName: 'shares_sharer_id_fkey' })
  sharer: Relation<MemberEntity>;

  @Column({ type: 'uuid' })
  channelId: string;

  @ManyToOne(() => ChannelEntity, { nullable: false })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'shares_channel_id_fkey' })
  channel: Relation<ChannelEntity>;

  @Column({ type: 'uuid' })
  nicheId: string;

  @ManyToOne(() => NicheEntity, { nullable: false })
  @JoinColumn({ name: 'niche_id', foreignKeyConstraintName: 'shares_niche_id_fkey' })
  niche: Relation<NicheEntity>;

  /** The channel's network (no CHECK in the database: the channel's holds it). */
  @Column({ type: 'text', transformer: oneOf(NETWORKS, 'shares.network') })
  network: Network;

  @Column({ type: 'text' })
  message: string;

  /** What the sharer is paid once it is posted: the post's credits per share when it was made. */
  @Column({ type: 'int' })
  credits: number;

  /** The PENDING transfer holding the credits from the post's budget. */
  @Column({ type: 'uuid' })
  holdId: string;

  @ManyToOne(() => LedgerTransferEntity, { nullable: false })
  @JoinColumn({ name: 'hold_id', foreignKeyConstraintName: 'shares_hold_id_fkey' })
  hold: Relation<LedgerTransferEntity>;

  @Column({ type: 'text', default: 'SCHEDULED', transformer: oneOf(SHARE_STATUSES, 'shares.status') })
  status: ShareStatus;

  @Column({ type: 'timestamptz' })
  scheduledFor: Date;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  /** Whose claim the share is under while POSTING. */
  @Column({ type: 'uuid', nullable: true })
  leaseToken: string | null;

  @Column({ type: 'boolean', default: false, comment: 'the last attempt may have posted: look before posting again' })
  ambiguous: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  postedAt: Date | null;

  /** Set when POSTED: counted in the relationships of the sharer and the author. */
  @Column({ type: 'int', nullable: true, comment: "the audience of the share's channel when it was posted" })
  reach: number | null;

  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'text', nullable: true })
  externalUrl: string | null;

  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
