import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sharepool/database';

/** One week of a member's sharing, both ways (POSTED shares only). */
export interface WeeklySharing {
  /** Monday, midnight UTC. */
  readonly weekStart: Date;
  readonly sharesGiven: number;
  readonly sharesReceived: number;
  /** Credits paid to the member for their shares of peers' posts. */
  readonly creditsEarned: number;
  /** Credits paid from the member's posts' budgets to sharers. */
  readonly creditsSpent: number;
  /** Audience of the channels peers posted the member's posts to. */
  readonly reachReceived: number;
}

/** One UTC day of the whole community's sharing. */
export interface DailySharing {
  readonly day: Date;
  /** Members who made a share or submitted a post that day. */
  readonly activeMembers: number;
  readonly postsSubmitted: number;
  readonly sharesPosted: number;
  readonly sharesFailed: number;
}

export interface NicheSharing {
  readonly nicheId: string;
  readonly postsSubmitted: number;
  readonly sharesPosted: number;
}

const DAYS = `generate_series((now() AT TIME ZONE 'UTC')::date - ($1::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)`;
const utcRange = (column: string, from: string, length: string) =>
  `${column} >= ${from} AT TIME ZONE 'UTC' AND ${column} < (${from} + ${length}) AT TIME ZONE 'UTC'`;

/**
 * Figures about sharing over time: a member's weeks (return on relationship),
 * the community's days and niches (the admin dashboard), and what a post reached.
 * Posts and channels are read through their libs' published reads
 * (posts_with_budget, channel_directory).
 */
@Injectable()
export class ShareActivityService {
  constructor(private readonly transactions: TransactionRunner) {}

  /** The member's last `weeks` weeks (Monday, UTC), oldest first. */
  weekly(memberId: string, weeks: number): Promise<WeeklySharing[]> {
    const inWeek = utcRange('s.posted_at', 'w.week', `interval '1 week'`);
    return this.transactions.query<WeeklySharing>(
      `SELECT w.week AT TIME ZONE 'UTC' AS "weekStart",
              count(*) FILTER (WHERE s.sharer_id = $1)::int AS "sharesGiven",
              count(*) FILTER (WHERE s.author_id = $1)::int AS "sharesReceived",
              coalesce(sum(s.credits) FILTER (WHERE s.sharer_id = $1), 0)::int AS "creditsEarned",
              coalesce(sum(s.credits) FILTER (WHERE s.author_id = $1), 0)::int AS "creditsSpent",
              coalesce(sum(c.audience_size) FILTER (WHERE s.author_id = $1), 0)::int AS "reachReceived"
         FROM generate_series(date_trunc('week', now() AT TIME ZONE 'UTC') - make_interval(weeks => $2 - 1),
                              date_trunc('week', now() AT TIME ZONE 'UTC'), interval '1 week') AS w(week)
         LEFT JOIN shares s ON s.status = 'POSTED' AND (s.sharer_id = $1 OR s.author_id = $1) AND ${inWeek}
         LEFT JOIN channel_directory c ON c.id = s.channel_id
        GROUP BY w.week ORDER BY w.week`,
      [memberId, weeks],
    );
  }

  /** Summed audience of the channels each post was POSTED to. */
  async reachOfPosts(postIds: readonly string[]): Promise<Map<string, number>> {
    const reach = new Map<string, number>(postIds.map((id) => [id, 0]));
    if (postIds.length === 0) return reach;
    const rows = await this.transactions.query<{ postId: string; reach: number }>(
      `SELECT s.post_id AS "postId", sum(c.audience_size)::int AS reach
         FROM shares s JOIN channel_directory c ON c.id = s.channel_id
        WHERE s.post_id = ANY($1::uuid[]) AND s.status = 'POSTED' GROUP BY s.post_id`,
      [postIds],
    );
    for (const row of rows) reach.set(row.postId, row.reach);
    return reach;
  }

  /** The community's last `days` UTC days, oldest first. */
  perDay(days: number): Promise<DailySharing[]> {
    const inDay = (column: string) => utcRange(column, 'd.day', `interval '1 day'`);
    return this.transactions.query<DailySharing>(
      `SELECT d.day::timestamp AT TIME ZONE 'UTC' AS day,
              (SELECT count(DISTINCT m)::int FROM (
                 SELECT s.sharer_id AS m FROM shares s WHERE ${inDay('s.created_at')}
                 UNION SELECT p.author_id FROM posts_with_budget p WHERE ${inDay('p.created_at')}) a) AS "activeMembers",
              (SELECT count(*)::int FROM posts_with_budget p WHERE ${inDay('p.created_at')}) AS "postsSubmitted",
              (SELECT count(*)::int FROM shares s WHERE s.status = 'POSTED' AND ${inDay('s.posted_at')}) AS "sharesPosted",
              (SELECT count(*)::int FROM shares s WHERE s.status = 'FAILED' AND ${inDay('s.updated_at')}) AS "sharesFailed"
         FROM ${DAYS} ORDER BY d.day`,
      [days],
    );
  }

  /** Posts submitted and shares posted per niche over the last `days` days (niches with either). */
  byNiche(days: number): Promise<NicheSharing[]> {
    return this.transactions.query<NicheSharing>(
      `WITH since AS (SELECT ((now() AT TIME ZONE 'UTC')::date - ($1::int - 1))::timestamp AT TIME ZONE 'UTC' AS at)
       SELECT niche_id AS "nicheId", sum(posts)::int AS "postsSubmitted", sum(shares)::int AS "sharesPosted"
         FROM (SELECT p.niche_id, count(*) AS posts, 0 AS shares FROM posts_with_budget p, since WHERE p.created_at >= since.at GROUP BY p.niche_id
               UNION ALL
               SELECT s.niche_id, 0, count(*) FROM shares s, since WHERE s.status = 'POSTED' AND s.posted_at >= since.at GROUP BY s.niche_id) t
        GROUP BY niche_id`,
      [days],
    );
  }
}
