import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sharepool/database';
import { type Actor, hasRole, InvalidInputError, PermissionDeniedError, requireMember } from '@sharepool/kernel';

export interface DailyCount {
  /** Midnight UTC. */
  readonly day: Date;
  readonly count: number;
}

export interface WeeklyCount {
  /** Monday, midnight UTC. */
  readonly weekStart: Date;
  readonly count: number;
}

/** `days` UTC days ending today, oldest first, each with the clicks `where` selects (from link_clicks c). */
const perDay = (where: string) => `
  SELECT d.day::timestamp AT TIME ZONE 'UTC' AS day, coalesce(sum(c.clicks), 0)::int AS count
    FROM generate_series((now() AT TIME ZONE 'UTC')::date - ($1::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)
    LEFT JOIN link_clicks c ON c.day = d.day::date AND ${where}
   GROUP BY d.day ORDER BY d.day`;

/** Unique human visits through short links, read from the per-share per-day counters. */
@Injectable()
export class ClickCountsService {
  constructor(private readonly transactions: TransactionRunner) {}

  /** Clicks by share id (0 for a share nobody clicked). */
  async ofShares(shareIds: readonly string[]): Promise<Map<string, number>> {
    return this.totals('share_id', shareIds);
  }

  /** Clicks through all the links of each post. */
  async ofPosts(postIds: readonly string[]): Promise<Map<string, number>> {
    return this.totals('post_id', postIds);
  }

  private async totals(column: 'share_id' | 'post_id', ids: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows = await this.transactions.query<{ id: string; clicks: number }>(
      `SELECT ${column} AS id, sum(clicks)::int AS clicks FROM link_clicks WHERE ${column} = ANY($1::uuid[]) GROUP BY ${column}`,
      [ids],
    );
    for (const row of rows) counts.set(row.id, row.clicks);
    return counts;
  }

  /** A post's clicks per day over the last `days` days (1-366), oldest first: for its author, moderators and admins. */
  async postHistory(actor: Actor, post: { readonly id: string; readonly authorId: string }, days: number): Promise<DailyCount[]> {
    const me = requireMember(actor, 'READ');
    if (me.memberId !== post.authorId && !hasRole(me, 'MODERATOR')) {
      throw new PermissionDeniedError("Only the post's author, moderators and admins see its clicks per day");
    }
    checkDays(days, 366);
    return this.transactions.query<DailyCount>(perDay('c.post_id = $2'), [days, post.id]);
  }

  /** Clicks through peers' shares of an author's posts per week (Monday, UTC) over the last `weeks` weeks, oldest first. */
  receivedPerWeek(authorId: string, weeks: number): Promise<WeeklyCount[]> {
    return this.transactions.query<WeeklyCount>(
      `SELECT w.week AT TIME ZONE 'UTC' AS "weekStart", coalesce(sum(c.clicks), 0)::int AS count
         FROM generate_series(date_trunc('week', now() AT TIME ZONE 'UTC') - make_interval(weeks => $2 - 1),
                              date_trunc('week', now() AT TIME ZONE 'UTC'), interval '1 week') AS w(week)
         LEFT JOIN link_clicks c ON c.author_id = $1 AND c.day >= w.week::date AND c.day < (w.week + interval '1 week')::date
        GROUP BY w.week ORDER BY w.week`,
      [authorId, weeks],
    );
  }

  /** Every click per day over the last `days` days, oldest first (the admin dashboard). */
  perDay(days: number): Promise<DailyCount[]> {
    checkDays(days, 366);
    return this.transactions.query<DailyCount>(perDay('true'), [days]);
  }

  /** Clicks per niche over the last `days` days. */
  async byNiche(days: number): Promise<Map<string, number>> {
    checkDays(days, 366);
    const rows = await this.transactions.query<{ nicheId: string; clicks: number }>(
      `SELECT niche_id AS "nicheId", sum(clicks)::int AS clicks FROM link_clicks
        WHERE day > (now() AT TIME ZONE 'UTC')::date - $1::int GROUP BY niche_id`,
      [days],
    );
    return new Map(rows.map((r) => [r.nicheId, r.clicks]));
  }

  /** Clicks each sharer brought to an author's posts, over the last `days` days (relationship figures). */
  async bySharerFor(authorId: string, days: number): Promise<Map<string, number>> {
    const rows = await this.transactions.query<{ sharerId: string; clicks: number }>(
      `SELECT sharer_id AS "sharerId", sum(clicks)::int AS clicks FROM link_clicks
        WHERE author_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int GROUP BY sharer_id`,
      [authorId, days],
    );
    return new Map(rows.map((r) => [r.sharerId, r.clicks]));
  }
}

function checkDays(days: number, max: number): void {
  if (!Number.isInteger(days) || days < 1 || days > max) throw new InvalidInputError('days', `days is 1 to ${max}`);
}
