import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { IndexBySql } from '@sharepool/database';
import { MemberEntity } from '@sharepool/members';

/**
 * A member and a peer with history either way: POSTED shares and audience
 * reached both ways, first and last times, and the peer's shares of the
 * member's posts since the RFM window's start (relationship_window.since).
 * Kept by relationships_record_posted in the transaction that records shares
 * POSTED; each pair has a row from each side.
 */
@Entity('relationships', {
  comment: 'POSTED shares between a member and a peer, both ways; kept in the transaction that records them',
})
@Check('relationships_not_self', `member_id <> peer_id`)
@Check('relationships_shares_given_check', `shares_given >= 0`)
@Check('relationships_shares_received_check', `shares_received >= 0`)
@Check('relationships_reach_given_check', `reach_given >= 0`)
@Check('relationships_reach_received_check', `reach_received >= 0`)
/** VALUE order: a range of last received times, ranked from these columns alone (an index-only scan). */
@IndexBySql(`CREATE INDEX relationships_by_recency ON relationships (member_id, last_received_at DESC)
         INCLUDE (peer_id, recent_received, recent_reach_received, first_received_at)`)
/** OWED order (and who is waiting on the member). */
@IndexBySql(`CREATE INDEX relationships_by_owed ON relationships
         (member_id, greatest(shares_received - shares_given, 0) DESC, coalesce(last_received_at, '-infinity') DESC, peer_id DESC)`)
/** RECENT order: the latest share either way. */
@IndexBySql(
  `CREATE INDEX relationships_by_latest ON relationships (member_id, greatest(last_given_at, last_received_at) DESC, peer_id DESC)`,
)
export class RelationshipEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'relationships_pkey' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'relationships_member_id_fkey' })
  member: Relation<MemberEntity>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'relationships_pkey' })
  peerId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'peer_id', foreignKeyConstraintName: 'relationships_peer_id_fkey' })
  peer: Relation<MemberEntity>;

  /** POSTED shares by the member of the peer's posts. */
  @Column({ type: 'int', default: 0 })
  sharesGiven: number;

  /** POSTED shares by the peer of the member's posts. */
  @Column({ type: 'int', default: 0 })
  sharesReceived: number;

  /** Audience reached by the member's shares of the peer's posts. */
  @Column({ type: 'bigint', default: 0 })
  reachGiven: number;

  /** Audience reached by the peer's shares of the member's posts. */
  @Column({ type: 'bigint', default: 0 })
  reachReceived: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastGivenAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstReceivedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastReceivedAt: Date | null;

  @Column({ type: 'int', default: 0, comment: "the peer's shares of the member's posts posted since relationship_window.since" })
  recentReceived: number;

  /** The audience those shares reached. */
  @Column({ type: 'bigint', default: 0 })
  recentReachReceived: number;
}
