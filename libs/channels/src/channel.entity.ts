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
@Check('channels_account_id_length', `length(account_id) <= 500`)
@Index('channels_by_member', ['memberId', 'createdAt'])
/** One connected channel per member, network and handle (whatever its case). */
@IndexBySql(`CREATE UNIQUE INDEX channels_one_connected ON channels (member_id, network, lower(handle)) WHERE status <> 'DISCONNECTED'`)
/** One connected channel per member and network account (by the network's own id, when known). */
@Index('channels_one_account', ['memberId', 'network', 'accountId'], {
  unique: true,
  where: `status <> 'DISCONNECTED' AND account_id IS NOT NULL`,
})
/** The token refresher's look-up: active channels whose access ends. */
@Index('channels_tokens_due', ['accessExpiresAt'], { where: `status = 'ACTIVE' AND access_expires_at IS NOT NULL` })
/** The audience check's look-up: active channels by when their followers are read next (never read first). */
@IndexBySql(`CREATE INDEX channels_audience_due ON channels (audience_check_due NULLS FIRST) WHERE status = 'ACTIVE'`)
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

  /** The network's own id of the account, stable when the handle changes (Mastodon: `<instance origin>#<id>`). */
  @Column({ type: 'text', nullable: true, comment: "the network's own id of the account (Mastodon: instance origin#id)" })
  accountId: string | null;

  @Column({ type: 'int', default: 0 })
  audienceSize: number;

  /** Whether audienceSize was read from the network (else the member stated it). */
  @Column({ type: 'boolean', default: false })
  audienceVerified: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  audienceCheckedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true, comment: 'when the audience is next read from the network (null: at once)' })
  audienceCheckDue: Date | null;

  @Column({ type: 'text', default: 'ACTIVE', transformer: oneOf(CHANNEL_STATUSES, 'channels.status') })
  status: ChannelStatus;

  @Column({ type: 'text', nullable: true })
  statusReason: string | null;

  /** Empty once disconnected. */
  @Column({ type: 'text', comment: 'AES-256-GCM with the channel id as associated data; never returned' })
  credentialsSealed: string;

  /** When the OAuth access token ends (null: it does not, or it was pasted). */
  @Column({ type: 'timestamptz', nullable: true })
  accessExpiresAt: Date | null;

  /** When the refresh token ends, where the network says. */
  @Column({ type: 'timestamptz', nullable: true })
  refreshExpiresAt: Date | null;

  @Column({ type: 'boolean', default: false, comment: 'the sealed credentials hold a refresh token' })
  refreshable: boolean;

  @Column({ type: 'uuid', nullable: true, comment: 'the worker refreshing the tokens now (until refresh_lease_until)' })
  refreshLease: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  refreshLeaseUntil: Date | null;

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
