import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { IndexBySql, oneOf } from '@sharepool/database';
import { MemberEntity } from '@sharepool/members';
import { type Network, NETWORKS } from './networks/network-adapter.js';

export const CHANNEL_STATUSES = ['ACTIVE', 'NEEDS_REAUTH', 'DISCONNECTED'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

/** A member's account on a social network; its credentials are sealed and never returned. */
@Entity('channels')
@Check('channels_network_check', `network IN ('WEBHOOK', 'MASTODON', 'BLUESKY', 'X', 'LINKEDIN')`)
@Check('channels_handle_check', `length(handle) BETWEEN 1 AND 200`)
@Check('channels_audience_size_check', `audience_size >= 0`)
@Check('channels_status_check', `status IN ('ACTIVE', 'NEEDS_REAUTH', 'DISCONNECTED')`)
@Index('channels_by_member', ['memberId', 'createdAt'])
/** One connected channel per member, network and handle (whatever its case). */
@IndexBySql(`CREATE UNIQUE INDEX channels_one_connected ON channels (member_id, network, lower(handle)) WHERE status <> 'DISCONNECTED'`)
export class ChannelEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'channels_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'channels_member_id_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'text', transformer: oneOf(NETWORKS, 'channels.network') })
  network: Network;

  @Column({ type: 'text' })
  handle: string;

  @Column({ type: 'int', default: 0 })
  audienceSize: number;

  @Column({ type: 'text', default: 'ACTIVE', transformer: oneOf(CHANNEL_STATUSES, 'channels.status') })
  status: ChannelStatus;

  @Column({ type: 'text', nullable: true })
  statusReason: string | null;

  /** Empty once disconnected. */
  @Column({ type: 'text', comment: 'AES-256-GCM with the channel id as associated data; never returned' })
  credentialsSealed: string;

  /** When the channel last posted (its minimum interval counts from it). */
  @Column({ type: 'timestamptz', nullable: true })
  lastPostedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  disconnectedAt: Date | null;
}
