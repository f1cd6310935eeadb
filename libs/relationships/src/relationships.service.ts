import { Injectable } from '@nestjs/common';
import { cursorTimeSql, type CursorValue, decodeCursor, encodeCursor, TransactionRunner } from '@sharepool/database';
import { type Actor, Clock, InvalidInputError, MAX_PAGE_SIZE, type Page, type PageRequest, requireMember } from '@sharepool/kernel';
import {
  RELATIONSHIP_ORDERS,
  RELATIONSHIP_SEGMENTS,
  type RelationshipOrder,
  type RelationshipRecord,
  type RelationshipSegment,
  SEGMENT_RECENCIES,
  type MonthlyExchange,
  type SharingRecord,
} from './relationship.record.js';

interface RelationshipRow {
  peerId: string;
  segment: RelationshipSegment;
  recency: number | null;
  frequency: number;
  monetary: number;
  sharesGiven: number;
  sharesReceived: number;
  reachGiven: number;
  reachReceived: number;
  owed: number;
  lastGivenAt: Date | null;
  lastReceivedAt: Date | null;
  firstReceivedAt: Date | null;
  /** The cursor's time, with all six fractional digits. */
  cursorTime: string | null;
}

const MAX_INT = 2_147_483_647;

/**
 * The peer's shares of the member's ($1) posts within the RFM window ending
 * at $2: the stored figures set right for the window's moves since they were
 * stored (relationship_window_change, one small read).
 */
const WINDOW = `WITH change AS MATERIALIZED (SELECT * FROM relationship_window_change($1::uuid, $2::timestamptz))`;
/**
 * The scores and segment of a relationships row r (they read only what the
 * recency index holds). OFFSET 0 computes the scores once per row, so the
 * segment rule inlines (Postgres does not inline a function whose repeated
 * arguments are expressions: it would call it for each row).
 */
const SCORES = `
  LEFT JOIN change c ON c.peer_id = r.peer_id
  CROSS JOIN LATERAL (SELECT rfm_recency(r.last_received_at, $2::timestamptz) AS recency,
                             rfm_frequency(r.recent_received + coalesce(c.shares, 0)) AS frequency,
                             rfm_monetary(r.recent_reach_received + coalesce(c.reach, 0)) AS monetary OFFSET 0) s
  CROSS JOIN LATERAL (SELECT relationship_segment(s.recency, s.frequency, r.first_received_at, $2::timestamptz) AS segment) g`;
const FROM = `relationships r ${SCORES}`;
const COLUMNS = `r.peer_id AS "peerId", g.segment, s.recency, s.frequency, s.monetary,
  r.shares_given AS "sharesGiven", r.shares_received AS "sharesReceived", r.reach_given AS "reachGiven", r.reach_received AS "reachReceived",
  greatest(r.shares_received - r.shares_given, 0) AS owed, r.last_given_at AS "lastGivenAt", r.last_received_at AS "lastReceivedAt",
  r.first_received_at AS "firstReceivedAt"`;
const OWED = `greatest(r.shares_received - r.shares_given, 0)`;
const LATEST = `greatest(r.last_given_at, r.last_received_at)`;

export interface RelationshipQuery {
  readonly segment?: RelationshipSegment | null;
  readonly orderBy?: RelationshipOrder | null;
}

/**
 * A member's relationships with their peers: what each gave and got back,
 * the RFM of the peer's shares of the member's posts at the clock's time, the
 * segment, and what is owed. The figures are kept per pair as shares are
 * POSTED (relationships_record_posted), so a page reads one member's rows
 * along an index, never their shares.
 */
@Injectable()
export class RelationshipsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * The member's peers, with `orderBy`: VALUE (recency, then frequency, then
   * monetary, highest first; peers who never shared the member last), OWED
   * (most owed first, then most recently received) or RECENT (the latest
   * share either way first); only one segment's when asked.
   */
  async list(actor: Actor, page: PageRequest, query: RelationshipQuery = {}): Promise<Page<RelationshipRecord>> {
    const me = requireMember(actor, 'READ');
    const segment = this.checkedSegment(query.segment);
    const orderBy = query.orderBy ?? 'VALUE';
    if (!RELATIONSHIP_ORDERS.includes(orderBy))
      throw new InvalidInputError('orderBy', `orderBy is one of ${RELATIONSHIP_ORDERS.join(', ')}`);
    const at = this.clock.now();
    const read =
      orderBy === 'VALUE'
        ? await this.byValue(me.memberId, at, segment, page)
        : await this.byColumn(me.memberId, at, segment, page, orderBy, false);
    const items = read.rows.slice(0, page.first);
    let counted: Promise<number> | undefined;
    return {
      items: items.map(toRecord),
      cursors: items.map((row) => encodeCursor(read.cursorOf(row))),
      hasNextPage: read.rows.length > page.first,
      hasPreviousPage: page.after !== null,
      totalCount: () => (counted ??= this.count(me.memberId, at, segment)),
    };
  }

  /** Peers in segment SUPER_FAN, best first. */
  async superFans(actor: Actor, first: number): Promise<RelationshipRecord[]> {
    const me = requireMember(actor, 'READ');
    const read = await this.byValue(me.memberId, this.clock.now(), 'SUPER_FAN', { first: checkedFirst(first), after: null });
    return read.rows.slice(0, first).map(toRecord);
  }

  /** Peers the member owes shares to (owed > 0), most owed first, then most recently received. */
  async waitingOnYou(actor: Actor, first: number): Promise<RelationshipRecord[]> {
    const me = requireMember(actor, 'READ');
    const read = await this.byColumn(me.memberId, this.clock.now(), null, { first: checkedFirst(first), after: null }, 'OWED', true);
    return read.rows.slice(0, first).map(toRecord);
  }

  /**
   * POSTED shares each way between the member and each of `peerIds`, per
   * calendar month (UTC) over the last `months` months up to the clock's,
   * oldest first, months without any included: one read along each pair's
   * shares, for a page of relationships at once.
   */
  async monthlyExchanges(actor: Actor, peerIds: readonly string[], months: number): Promise<Map<string, MonthlyExchange[]>> {
    const me = requireMember(actor, 'READ');
    if (!Number.isInteger(months) || months < 1 || months > 24) throw new InvalidInputError('months', 'months is 1 to 24');
    const rows = await this.transactions.query<MonthlyExchange & { peerId: string }>(
      `WITH months AS (
         SELECT generate_series(date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC') - make_interval(months => $4 - 1),
                                date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC'), interval '1 month') AS month),
       since AS (SELECT min(month) AT TIME ZONE 'UTC' AS at FROM months),
       exchanges AS (
         SELECT e.author_id AS peer_id, 1 AS given, 0 AS received, e.posted_at FROM relationship_shares e, since
          WHERE e.author_id = ANY($2::uuid[]) AND e.sharer_id = $1 AND e.posted_at >= since.at
         UNION ALL
         SELECT e.sharer_id, 0, 1, e.posted_at FROM relationship_shares e, since
          WHERE e.author_id = $1 AND e.sharer_id = ANY($2::uuid[]) AND e.posted_at >= since.at)
       SELECT p.peer_id AS "peerId", m.month AT TIME ZONE 'UTC' AS "monthStart",
              coalesce(sum(x.given), 0)::int AS given, coalesce(sum(x.received), 0)::int AS received
         FROM unnest($2::uuid[]) AS p(peer_id) CROSS JOIN months m
         LEFT JOIN exchanges x ON x.peer_id = p.peer_id AND date_trunc('month', x.posted_at AT TIME ZONE 'UTC') = m.month
        GROUP BY p.peer_id, m.month ORDER BY p.peer_id, m.month`,
      [me.memberId, peerIds, this.clock.now(), months],
    );
    const byPeer = new Map<string, MonthlyExchange[]>(peerIds.map((id) => [id, []]));
    for (const { peerId, ...month } of rows) byPeer.get(peerId)?.push(month);
    return byPeer;
  }

  /**
   * A member's sharing history for trust levels: POSTED shares, different
   * authors, different peers who shared them, and the shares and authors
   * since each of `since`.
   */
  async sharingRecord(memberId: string, since: readonly Date[]): Promise<SharingRecord> {
    const [row] = await this.transactions.query<SharingRecord>(
      `SELECT coalesce(sum(shares_given), 0)::int AS "postedShares", count(*) FILTER (WHERE shares_given > 0)::int AS "authorsShared",
              count(*) FILTER (WHERE shares_received > 0)::int AS "sharedByPeers",
              ARRAY(SELECT (SELECT count(*)::int FROM relationship_shares e WHERE e.sharer_id = $1 AND e.posted_at >= s.since)
                      FROM unnest($2::timestamptz[]) WITH ORDINALITY AS s(since, n) ORDER BY s.n) AS "postedSharesSince",
              ARRAY(SELECT (SELECT count(DISTINCT e.author_id)::int FROM relationship_shares e WHERE e.sharer_id = $1 AND e.posted_at >= s.since)
                      FROM unnest($2::timestamptz[]) WITH ORDINALITY AS s(since, n) ORDER BY s.n) AS "authorsSharedSince"
         FROM relationships WHERE member_id = $1`,
      [memberId, since],
    );
    return row!;
  }

  /**
   * Moves the stored RFM window to the 365 days before `at`: the shares that
   * left it come off each pair's recent figures (those that came back in, if
   * the window moved back, go on again). Readers set the figures right for
   * their own time either way; this keeps what they set right small.
   */
  async rollWindow(at: Date): Promise<void> {
    await this.transactions.run(async (tx) => {
      const [window] = await tx.query<{ since: Date; cut: Date }>(
        `SELECT since, $1::timestamptz - interval '8760 hours' AS cut FROM relationship_window FOR UPDATE`,
        [at],
      );
      if (!window || window.since.getTime() === window.cut.getTime()) return;
      // Rows locked in (member, peer) order, as the recording of shares locks them.
      await tx.query(
        `WITH moved AS (
           SELECT e.author_id, e.sharer_id, sum(CASE WHEN $2 > $1 THEN -1 ELSE 1 END)::int AS n,
                  sum(CASE WHEN $2 > $1 THEN -e.reach ELSE e.reach END) AS reach
             FROM relationship_shares e
            WHERE e.posted_at >= least($1::timestamptz, $2::timestamptz) AND e.posted_at < greatest($1::timestamptz, $2::timestamptz)
            GROUP BY e.author_id, e.sharer_id),
         locked AS (
           SELECT r.member_id, r.peer_id, m.n, m.reach FROM relationships r JOIN moved m ON m.author_id = r.member_id AND m.sharer_id = r.peer_id
            ORDER BY r.member_id, r.peer_id FOR UPDATE OF r)
         UPDATE relationships r SET recent_received = r.recent_received + l.n, recent_reach_received = r.recent_reach_received + l.reach
           FROM locked l WHERE r.member_id = l.member_id AND r.peer_id = l.peer_id`,
        [window.since, window.cut],
      );
      await tx.query(`UPDATE relationship_window SET since = $1`, [window.cut]);
    });
  }

  /**
   * VALUE order: a recency score at a time, highest first (an index range of
   * last received times each), the page filled from the first scores that
   * have enough peers; within a score by frequency, then monetary. Peers who
   * never shared the member come last.
   */
  private async byValue(
    memberId: string,
    at: Date,
    segment: RelationshipSegment | null,
    page: PageRequest,
  ): Promise<{ rows: RelationshipRow[]; cursorOf: (row: RelationshipRow) => CursorValue[] }> {
    const after = page.after
      ? (decodeCursor(page.after, ['number', 'number', 'number', 'string']) as [number, number, number, string])
      : null;
    const scores = (segment ? SEGMENT_RECENCIES[segment] : [5, 4, 3, 2, 1, 0]).filter((score) => !after || score <= after[0]);
    const rows: RelationshipRow[] = [];
    for (const score of scores) {
      const within = after && after[0] === score ? after : null;
      const limit = page.first + 1 - rows.length;
      rows.push(
        ...(score > 0
          ? await this.transactions.queryPrepared<RelationshipRow>(
              // Ranked from the recency index alone (it holds what the scores need), then the page's rows read.
              `${WINDOW}, ranked AS (
                 SELECT r.peer_id, s.frequency, s.monetary FROM ${FROM}
                  WHERE r.member_id = $1 AND r.last_received_at >= rfm_recency_floor($3::int, $2::timestamptz)
                    AND r.last_received_at < rfm_recency_floor($3::int + 1, $2::timestamptz)
                    AND ($4::text IS NULL OR g.segment = $4::text)
                    AND ($5::int IS NULL OR (s.frequency, s.monetary, r.peer_id) < ($5::int, $6::int, $7::uuid))
                  ORDER BY s.frequency DESC, s.monetary DESC, r.peer_id DESC LIMIT $8)
               SELECT ${COLUMNS} FROM ranked JOIN relationships r ON r.member_id = $1 AND r.peer_id = ranked.peer_id ${SCORES}
                ORDER BY ranked.frequency DESC, ranked.monetary DESC, ranked.peer_id DESC`,
              [memberId, at, score, segment, within?.[1] ?? null, within?.[2] ?? null, within?.[3] ?? null, limit],
            )
          : await this.transactions.queryPrepared<RelationshipRow>(
              `${WINDOW} SELECT ${COLUMNS} FROM ${FROM}
                WHERE r.member_id = $1 AND r.last_received_at IS NULL AND ($3::uuid IS NULL OR r.peer_id < $3::uuid)
                ORDER BY r.peer_id DESC LIMIT $4`,
              [memberId, at, within?.[3] ?? null, limit],
            )),
      );
      if (rows.length > page.first) break;
    }
    return {
      rows,
      cursorOf: (row) => [row.recency ?? 0, row.recency === null ? 0 : row.frequency, row.recency === null ? 0 : row.monetary, row.peerId],
    };
  }

  /**
   * OWED or RECENT order: one walk of its index from the cursor on, the page
   * taken before anything is scored (so a plan made once for all members
   * keeps to the index); with a segment, every row is scored to filter it.
   */
  private async byColumn(
    memberId: string,
    at: Date,
    segment: RelationshipSegment | null,
    page: PageRequest,
    orderBy: 'OWED' | 'RECENT',
    owedOnly: boolean,
  ): Promise<{ rows: RelationshipRow[]; cursorOf: (row: RelationshipRow) => CursorValue[] }> {
    const params: unknown[] = [memberId, at];
    const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
    const conditions: string[] = [];
    let key: string;
    let cursorTime: string;
    let cursorOf: (row: RelationshipRow) => CursorValue[];
    if (orderBy === 'OWED') {
      key = `${OWED} DESC, coalesce(r.last_received_at, '-infinity') DESC, r.peer_id DESC`;
      cursorTime = cursorTimeSql('r.last_received_at');
      cursorOf = (row) => [row.owed, row.cursorTime, row.peerId];
      if (owedOnly) conditions.push(`${OWED} > 0`);
      if (page.after) {
        const [owed, time, peer] = decodeCursor(page.after, ['number', 'date', 'string']);
        conditions.push(
          `(${OWED}, coalesce(r.last_received_at, '-infinity'), r.peer_id) < (${param(owed, 'int')}, coalesce(${param(time, 'timestamptz')}, '-infinity'), ${param(peer, 'uuid')})`,
        );
      }
    } else {
      key = `${LATEST} DESC, r.peer_id DESC`;
      cursorTime = cursorTimeSql(LATEST);
      cursorOf = (row) => [row.cursorTime, row.peerId];
      if (page.after) {
        const [time, peer] = decodeCursor(page.after, ['date', 'string']);
        conditions.push(`(${LATEST}, r.peer_id) < (${param(time, 'timestamptz')}, ${param(peer, 'uuid')})`);
      }
    }
    if (segment) conditions.push(`g.segment = ${param(segment, 'text')}`);
    const where = ['r.member_id = $1', ...conditions].join(' AND ');
    const limit = param(page.first + 1, 'int');
    const rows = await this.transactions.queryPrepared<RelationshipRow>(
      segment
        ? `${WINDOW} SELECT ${COLUMNS}, ${cursorTime} AS "cursorTime" FROM ${FROM} WHERE ${where} ORDER BY ${key} LIMIT ${limit}`
        : `${WINDOW}, page AS (SELECT * FROM relationships r WHERE ${where} ORDER BY ${key} LIMIT ${limit})
           SELECT ${COLUMNS}, ${cursorTime} AS "cursorTime" FROM page r ${SCORES} ORDER BY ${key}`,
      params,
    );
    return { rows, cursorOf };
  }

  private async count(memberId: string, at: Date, segment: RelationshipSegment | null): Promise<number> {
    const [row] = segment
      ? await this.transactions.query<{ n: number }>(
          `${WINDOW} SELECT count(*)::int AS n FROM ${FROM} WHERE r.member_id = $1 AND g.segment = $3`,
          [memberId, at, segment],
        )
      : await this.transactions.query<{ n: number }>(`SELECT count(*)::int AS n FROM relationships WHERE member_id = $1`, [memberId]);
    return row!.n;
  }

  private checkedSegment(segment: RelationshipSegment | null | undefined): RelationshipSegment | null {
    if (segment === null || segment === undefined) return null;
    if (!RELATIONSHIP_SEGMENTS.includes(segment))
      throw new InvalidInputError('segment', `segment is one of ${RELATIONSHIP_SEGMENTS.join(', ')}`);
    return segment;
  }
}

function checkedFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw new InvalidInputError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  return first;
}

function toRecord(row: RelationshipRow): RelationshipRecord {
  return {
    peerId: row.peerId,
    segment: row.segment,
    rfm: row.recency === null ? null : { recency: row.recency, frequency: row.frequency, monetary: row.monetary },
    sharesGiven: row.sharesGiven,
    sharesReceived: row.sharesReceived,
    // GraphQL's Int is 32 bits; an audience sum past it says as much as the largest one.
    reachGiven: Math.min(row.reachGiven, MAX_INT),
    reachReceived: Math.min(row.reachReceived, MAX_INT),
    owed: row.owed,
    lastGivenAt: row.lastGivenAt,
    lastReceivedAt: row.lastReceivedAt,
    firstReceivedAt: row.firstReceivedAt,
  };
}
