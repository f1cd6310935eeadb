/**
 * How one peer has treated a member lately, in the order of the partner
 * contract's enum: a peer is in the first segment whose rule matches (the
 * rules are the database's relationship_segment).
 */
export const RELATIONSHIP_SEGMENTS = ['SUPER_FAN', 'LOYAL', 'NEW', 'AT_RISK', 'LAPSED', 'OCCASIONAL', 'NOT_YET'] as const;
export type RelationshipSegment = (typeof RELATIONSHIP_SEGMENTS)[number];

export const RELATIONSHIP_ORDERS = ['VALUE', 'OWED', 'RECENT'] as const;
/** VALUE: recency, frequency, monetary, highest first; OWED: owed, highest first; RECENT: the latest share either way first. */
export type RelationshipOrder = (typeof RELATIONSHIP_ORDERS)[number];

/**
 * The recency scores a peer of each segment can have (0: the peer never
 * shared the member): the segment rules imply them, and reading a segment
 * looks only there. NEW means a first share within 30 days, so a last one
 * within 30 days too; OCCASIONAL is what remains of recency 3 and up.
 */
export const SEGMENT_RECENCIES: Readonly<Record<RelationshipSegment, readonly number[]>> = {
  SUPER_FAN: [5, 4],
  LOYAL: [5, 4, 3],
  NEW: [5, 4],
  AT_RISK: [2, 1],
  LAPSED: [2, 1],
  OCCASIONAL: [5, 4, 3],
  NOT_YET: [0],
};

/** RFM of the peer's POSTED shares of the member's posts, 1 to 5 each (thresholds in the contract). */
export interface RfmScore {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

/** A member's relationship with one peer, as of a point in time. */
export interface RelationshipRecord {
  readonly peerId: string;
  readonly segment: RelationshipSegment;
  /** Null when the peer never shared the member. */
  readonly rfm: RfmScore | null;
  /** POSTED shares by the member of the peer's posts. */
  readonly sharesGiven: number;
  /** POSTED shares by the peer of the member's posts. */
  readonly sharesReceived: number;
  /** Audience reached by the member's shares of the peer's posts. */
  readonly reachGiven: number;
  /** Audience reached by the peer's shares of the member's posts. */
  readonly reachReceived: number;
  /** sharesReceived - sharesGiven when positive, else 0. */
  readonly owed: number;
  readonly lastGivenAt: Date | null;
  readonly lastReceivedAt: Date | null;
  readonly firstReceivedAt: Date | null;
}

/** A member's sharing history, as trust levels count it. */
export interface SharingRecord {
  /** The member's POSTED shares of peers' posts, all time. */
  readonly postedShares: number;
  /** Different authors among them. */
  readonly authorsShared: number;
  /** Different peers who shared the member's posts. */
  readonly sharedByPeers: number;
  /** POSTED shares since each asked time, in the order asked. */
  readonly postedSharesSince: readonly number[];
  /** Different authors among them. */
  readonly authorsSharedSince: readonly number[];
}

/** POSTED shares between a member and a peer in one calendar month (UTC). */
export interface MonthlyExchange {
  readonly monthStart: Date;
  /** By the member of the peer's posts. */
  readonly given: number;
  /** By the peer of the member's posts. */
  readonly received: number;
}
