import { Injectable } from '@nestjs/common';
import { decodeCursor, keysetPage, TransactionRunner } from '@sharepool/database';
import { type Actor, InvalidInputError, type Page, type PageRequest, requireMember } from '@sharepool/kernel';

export interface ReciprocityRecord {
  readonly peerId: string;
  /** POSTED shares by the member of the peer's posts. */
  readonly sharesGiven: number;
  /** POSTED shares by the peer of the member's posts. */
  readonly sharesReceived: number;
  readonly lastSharedAt: Date | null;
}

export interface WeeklyShareActivity {
  readonly weekStart: Date;
  readonly given: number;
  readonly received: number;
}

/** Both directions of every pair the member is in, one row per peer. */
const PEERS = `
  SELECT peer_id AS "peerId", sum(given)::int AS "sharesGiven", sum(received)::int AS "sharesReceived", max(last) AS "lastSharedAt",
         to_char(max(last) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorTime"
    FROM (SELECT author_id AS peer_id, shares AS given, 0 AS received, last_shared_at AS last FROM reciprocity WHERE sharer_id = $1
          UNION ALL
          SELECT sharer_id, 0, shares, last_shared_at FROM reciprocity WHERE author_id = $1) pairs
   GROUP BY peer_id`;

/** Reciprocity: how much a member and each peer shared of each other's posts. */
@Injectable()
export class ReciprocityService {
  constructor(private readonly transactions: TransactionRunner) {}

  /** Peers, most recent exchange first. */
  async peers(actor: Actor, page: PageRequest): Promise<Page<ReciprocityRecord>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const rows = await this.transactions.query<ReciprocityRecord & { cursorTime: string }>(
      `SELECT * FROM (${PEERS}) p
        WHERE $2::timestamptz IS NULL OR (p."lastSharedAt", p."peerId") < ($2::timestamptz, $3::uuid)
        ORDER BY p."lastSharedAt" DESC, p."peerId" DESC LIMIT $4`,
      [me.memberId, after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows,
      page,
      (r) => [r.cursorTime, r.peerId],
      async () => Number((await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM (${PEERS}) p`, [me.memberId]))[0]!.n),
    );
  }

  /** POSTED shares given and received per week (Monday, UTC) over the last `weeks` weeks, oldest first. */
  async weeklyActivity(actor: Actor, weeks: number): Promise<WeeklyShareActivity[]> {
    const me = requireMember(actor, 'READ');
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new InvalidInputError('weeks', 'weeks is 1 to 104');
    return this.transactions.query<WeeklyShareActivity>(
      `WITH weeks AS (
         SELECT generate_series(date_trunc('week', now() AT TIME ZONE 'UTC') - make_interval(weeks => $2 - 1),
                                date_trunc('week', now() AT TIME ZONE 'UTC'), interval '1 week') AS week)
       SELECT w.week AT TIME ZONE 'UTC' AS "weekStart",
              (SELECT count(*)::int FROM shares s WHERE s.status = 'POSTED' AND s.sharer_id = $1
                 AND s.posted_at >= w.week AT TIME ZONE 'UTC' AND s.posted_at < (w.week + interval '1 week') AT TIME ZONE 'UTC') AS given,
              (SELECT count(*)::int FROM shares s WHERE s.status = 'POSTED' AND s.author_id = $1
                 AND s.posted_at >= w.week AT TIME ZONE 'UTC' AND s.posted_at < (w.week + interval '1 week') AT TIME ZONE 'UTC') AS received
         FROM weeks w ORDER BY w.week`,
      [me.memberId, weeks],
    );
  }
}
