import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { MemberEntity } from '@sharepool/members';
import { MastodonAppEntity } from './mastodon-app.entity.js';
import { OAUTH_NETWORKS, type OAuthNetwork } from './oauth-provider.js';

/** A started connection through a network's consent page (its OAuth `state`), single use, 10 minutes. */
@Entity('channel_connection_attempts', {
  comment: 'started OAuth connections: the state is kept as a hash, the PKCE verifier sealed',
})
@Unique('channel_connection_attempts_state_key', ['stateHash'])
@Check('channel_connection_attempts_network', `network IN ('MASTODON', 'X', 'LINKEDIN')`)
@Check('channel_connection_attempts_mastodon_app', `(network = 'MASTODON') = (mastodon_app_id IS NOT NULL)`)
@Check('channel_connection_attempts_return_to', `length(return_to) BETWEEN 1 AND 500`)
@Index('channel_connection_attempts_expiry', ['expiresAt'])
export class ChannelConnectionAttemptEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'channel_connection_attempts_pkey' })
  id: string;

  /** SHA-256 (base64url) of the state; the state itself is only in the member's browser and at the network. */
  @Column({ type: 'text' })
  stateHash: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'channel_connection_attempts_member_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'text', transformer: oneOf(OAUTH_NETWORKS, 'channel_connection_attempts.network') })
  network: OAuthNetwork;

  @Column({ type: 'uuid', nullable: true })
  mastodonAppId: string | null;

  @ManyToOne(() => MastodonAppEntity, { nullable: true })
  @JoinColumn({ name: 'mastodon_app_id', foreignKeyConstraintName: 'channel_connection_attempts_app_fkey' })
  mastodonApp: Relation<MastodonAppEntity> | null;

  /** SHA-256 of the key kept in the starting browser's cookie. */
  @Column({ type: 'text' })
  browserHash: string;

  /** The PKCE code verifier, sealed with the attempt's id; null where the network has no PKCE. */
  @Column({ type: 'text', nullable: true })
  verifierSealed: string | null;

  @Column({ type: 'text' })
  returnTo: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
