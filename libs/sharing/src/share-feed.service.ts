import { Injectable } from '@nestjs/common';
import {
  cursorTimeSql,
  type CursorValue,
  decodeCursor,
  entityFields,
  type FieldsOf,
  keysetPage,
  TransactionRunner,
} from '@sharepool/database';
import { type Actor, Clock, type Page, type PageRequest, requireMember } from '@sharepool/kernel';
import { PostWithBudgetView } from '@sharepool/content';

/** A post as the feed reads it, from content's published read of posts (posts_with_budget). */
const FEED_POST = entityFields(PostWithBudgetView, [
  'id',
  'authorId',
  'nicheId',
  'url',
  'title',
  'summary',
  'imageUrl',
  'suggestedMessage',
  'creditsPerShare',
  'budgetRemaining',
  'status',
  'rejectionReason',
  'postedShareCount',
  'previewStatus',
  'previewError',
  'createdAt',
]);
const POST_COLUMNS = FEED_POST.sql('p');
const POST_FROM = 'posts_with_budget p';

/**
 * A feed post with where its author stands with the viewer: `tier` 3 when the
 * author is waiting on the viewer (shared the viewer's posts more than the
 * viewer shared theirs), 2 a super fan, 1 a loyal peer, 0 anyone else; `owed`
 * the balance of shares (received minus given, negative when the viewer gave
 * more).
 */
export type FeedPost = FieldsOf<typeof FEED_POST> & { readonly tier: number; readonly owed: number };

/** A row of the feed's queries: the post's columns, where its author stands, and the cursor's time. */
type FeedRow = Record<string, unknown> & { tier: number; owed: number; cursorTime: string };

/**
 * What makes an approved post shareable by the viewer ($1) now, beyond its niche and author.
 * Other libs' rows are read through their published reads: posts_with_budget (content),
 * member_directory and niche_memberships (members), pauses_in_force (moderation).
 */
const SHAREABLE = `
      p.status = 'APPROVED' AND p.author_id <> $1
  AND EXISTS (SELECT 1 FROM member_directory a WHERE a.id = p.author_id AND a.active)
  AND p.budget_remaining >= p.credits_per_share
  AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.sharer_id = $1 AND s.status NOT IN ('FAILED', 'CANCELLED'))
  AND p.id <> ALL (SELECT post_id FROM pauses WHERE post_id IS NOT NULL)`;

/**
 * The niches to look in ($2, or the viewer's when null) minus paused ones (none
 * at all while everything is paused).
 */
const NICHES = `
  pauses AS MATERIALIZED (SELECT scope, post_id, niche_id FROM pauses_in_force),
  niches AS MATERIALIZED (
    SELECT niche_id FROM (SELECT $2::uuid AS niche_id WHERE $2::uuid IS NOT NULL
                          UNION ALL SELECT niche_id FROM niche_memberships WHERE member_id = $1 AND $2::uuid IS NULL) wanted
     WHERE NOT EXISTS (SELECT 1 FROM pauses WHERE scope = 'EVERYTHING' OR pauses.niche_id = wanted.niche_id))`;

/**
 * The viewer's peers who come before or after strangers: by their standing
 * with the viewer at $9 (libs/relationships' relationship_standing), each with
 * a tier and the balance of shares.
 */
const PEERS = `
  peers AS MATERIALIZED (
    SELECT peer_id, tier, balance FROM (
      SELECT peer_id, balance,
             CASE WHEN balance > 0 THEN 3 WHEN segment = 'SUPER_FAN' THEN 2 WHEN segment = 'LOYAL' THEN 1 ELSE 0 END AS tier
        FROM relationship_standing($1, $9::timestamptz)) standing
     WHERE tier > 0 OR balance <> 0)`;

/**
 * The posts a member could share now: approved, by other active members, in the
 * member's niches (or the one asked for), not yet shared by them, with a budget
 * that still covers a share, and not paused.
 */
@Injectable()
export class ShareFeedService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Best first, by the relationship: posts of peers waiting on the viewer
   * (most owed first), then of super fans, then of loyal peers, then the rest
   * as before (strangers, then peers the viewer gave more than they got back);
   * within each, by credits per share, then newest. The cursor holds the whole
   * sort key, so a page starts right after the last one seen.
   *
   * Built to stay fast however many posts there are: authors the viewer has no
   * standing with (nearly all of them) are read per niche along the
   * feed-order index, peers per author and niche along theirs, each read
   * stopping after one page; only those few rows are merged and sorted.
   */
  async feed(actor: Actor, page: PageRequest, nicheId: string | null, authorId: string | null = null): Promise<Page<FeedPost>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['number', 'number', 'number', 'date', 'string']) : null;
    const params: unknown[] = [me.memberId, nicheId, page.first + 1, ...(after ?? [null, null, null, null, null]), this.clock.now()];
    const rows = authorId ? await this.ofAuthor(params, authorId) : await this.best(params, after);
    return keysetPage(
      rows.map((row) => ({ ...FEED_POST.read(row), tier: row.tier, owed: row.owed, cursorTime: row.cursorTime })),
      page,
      (p): CursorValue[] => [p.tier, p.owed, p.creditsPerShare, p.cursorTime, p.id],
      async () =>
        Number(
          (
            await this.transactions.queryPrepared<{ n: number }>(
              `WITH ${NICHES}
               SELECT count(*) AS n FROM ${POST_FROM}
                WHERE p.niche_id IN (SELECT niche_id FROM niches) AND ($3::uuid IS NULL OR p.author_id = $3::uuid) AND ${SHAREABLE}`,
              [me.memberId, nicheId, authorId],
            )
          )[0]!.n,
        ),
    );
  }

  /** One author's posts (their standing with the viewer is the same for each), by credits per share, then newest. */
  private ofAuthor(params: unknown[], authorId: string): Promise<FeedRow[]> {
    return this.transactions.queryPrepared<FeedRow>(
      `WITH ${NICHES}, ${PEERS}
       SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime", coalesce(s.tier, 0) AS tier, coalesce(s.balance, 0) AS owed
         FROM ${POST_FROM} LEFT JOIN peers s ON s.peer_id = p.author_id
        WHERE p.author_id = $10::uuid AND p.niche_id IN (SELECT niche_id FROM niches) AND ${SHAREABLE}
          AND ($4::int IS NULL OR (coalesce(s.tier, 0), coalesce(s.balance, 0), p.credits_per_share, p.created_at, p.id)
                                  < ($4::int, $5::int, $6::int, $7::timestamptz, $8::uuid))
        ORDER BY p.credits_per_share DESC, p.created_at DESC, p.id DESC LIMIT $3`,
      [...params, authorId],
    );
  }

  private best(params: unknown[], after: CursorValue[] | null): Promise<FeedRow[]> {
    // Strangers' posts (tier 0, balance 0) come after a cursor only if it is above that level, or at it before them in order.
    const level = after ? Math.sign((after[0] as number) || (after[1] as number)) : 1;
    const afterZero = !after
      ? 'TRUE'
      : level > 0
        ? 'TRUE'
        : level === 0
          ? '(p.credits_per_share, p.created_at, p.id) < ($6::int, $7::timestamptz, $8::uuid)'
          : 'FALSE';
    // Peers are read a level (tier, balance) at a time, highest first, their posts merged within the level;
    // the sort above them is incremental, so reading stops at the level that fills the page.
    const peerPart = (levels: string) => `
         SELECT r.* FROM (SELECT tier, balance, array_agg(peer_id) AS peer_ids FROM peers WHERE ${levels}
                           GROUP BY tier, balance ORDER BY tier DESC, balance DESC) l
          CROSS JOIN LATERAL (
            SELECT x.* FROM unnest(l.peer_ids) AS pid(peer_id) CROSS JOIN niches n CROSS JOIN LATERAL (
              SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime", l.tier AS tier, l.balance AS owed FROM ${POST_FROM}
               WHERE p.author_id = pid.peer_id AND p.niche_id = n.niche_id AND ${SHAREABLE}
                 AND ($4::int IS NULL OR (l.tier, l.balance) < ($4::int, $5::int)
                      OR ((l.tier, l.balance) = ($4::int, $5::int)
                          AND (p.credits_per_share, p.created_at, p.id) < ($6::int, $7::timestamptz, $8::uuid)))
               ORDER BY p.credits_per_share DESC, p.created_at DESC, p.id DESC LIMIT $3) x) r
          ORDER BY l.tier DESC, l.balance DESC, r."creditsPerShare" DESC, r."createdAt" DESC, r.id DESC LIMIT $3`;
    return this.transactions.queryPrepared<FeedRow>(
      `WITH ${NICHES}, ${PEERS}
       SELECT * FROM (
         (${peerPart('tier > 0')})
         UNION ALL
         (SELECT z.* FROM niches n CROSS JOIN LATERAL (
            SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime", 0 AS tier, 0 AS owed FROM ${POST_FROM}
             WHERE p.niche_id = n.niche_id AND ${SHAREABLE} AND ${afterZero}
               AND p.author_id <> ALL (SELECT peer_id FROM peers)
             ORDER BY p.credits_per_share DESC, p.created_at DESC, p.id DESC LIMIT $3) z
          ORDER BY z."creditsPerShare" DESC, z."createdAt" DESC, z.id DESC LIMIT $3)
         UNION ALL
         (${peerPart('tier = 0 AND balance < 0')})
       ) feed
       ORDER BY tier DESC, owed DESC, "creditsPerShare" DESC, "createdAt" DESC, id DESC LIMIT $3`,
      params,
    );
  }
}
