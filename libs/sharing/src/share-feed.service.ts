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
import { type Actor, type Page, type PageRequest, requireMember } from '@sharepool/kernel';
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

/** A feed post with how many more shares its author gave the viewer than the viewer gave back. */
export type FeedPost = FieldsOf<typeof FEED_POST> & { readonly owed: number };

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
 * at all while everything is paused), and the viewer's peers with what is owed:
 * shares received from them minus shares given to them.
 */
const CONTEXT = `
  pauses AS MATERIALIZED (SELECT scope, post_id, niche_id FROM pauses_in_force),
  niches AS MATERIALIZED (
    SELECT niche_id FROM (SELECT $2::uuid AS niche_id WHERE $2::uuid IS NOT NULL
                          UNION ALL SELECT niche_id FROM niche_memberships WHERE member_id = $1 AND $2::uuid IS NULL) wanted
     WHERE NOT EXISTS (SELECT 1 FROM pauses WHERE scope = 'EVERYTHING' OR pauses.niche_id = wanted.niche_id)),
  peers AS MATERIALIZED (
    SELECT peer_id, sum(received - given)::int AS owed
      FROM (SELECT sharer_id AS peer_id, shares AS received, 0 AS given FROM reciprocity WHERE author_id = $1
            UNION ALL SELECT author_id, 0, shares FROM reciprocity WHERE sharer_id = $1) pairs
     GROUP BY peer_id HAVING sum(received - given) <> 0)`;

/**
 * The posts a member could share now: approved, by other active members, in the
 * member's niches (or the one asked for), not yet shared by them, with a budget
 * that still covers a share, and not paused.
 */
@Injectable()
export class ShareFeedService {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * Best first: posts of authors who shared the viewer's posts more than the
   * viewer shared theirs, then by credits per share, then newest. The cursor
   * holds the whole sort key, so a page starts right after the last one seen.
   *
   * Built to stay fast however many posts there are: authors the viewer has no
   * balance with (owed 0, nearly all of them) are read per niche along the
   * feed-order index, peers per author and niche along theirs, each read
   * stopping after one page; only those few rows are merged and sorted.
   */
  async feed(actor: Actor, page: PageRequest, nicheId: string | null): Promise<Page<FeedPost>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['number', 'number', 'date', 'string']) : null;
    const params: unknown[] = [me.memberId, nicheId, page.first + 1, ...(after ?? [null, null, null, null])];
    // Owed-0 posts come after a cursor only if it is at owed > 0, or at owed 0 before them in order.
    const afterZero = !after
      ? 'TRUE'
      : (after[0] as number) > 0
        ? 'TRUE'
        : (after[0] as number) === 0
          ? '(p.credits_per_share, p.created_at, p.id) < ($5::int, $6::timestamptz, $7::uuid)'
          : 'FALSE';
    // Peers are read a level of "owed" at a time, highest first, their posts merged within the level;
    // the sort above them is incremental, so reading stops at the level that fills the page.
    const peerPart = (levels: string) => `
         SELECT r.* FROM (SELECT owed, array_agg(peer_id) AS peer_ids FROM peers WHERE ${levels} GROUP BY owed ORDER BY owed DESC) l
          CROSS JOIN LATERAL (
            SELECT x.* FROM unnest(l.peer_ids) AS pid(peer_id) CROSS JOIN niches n CROSS JOIN LATERAL (
              SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime", l.owed AS owed FROM ${POST_FROM}
               WHERE p.author_id = pid.peer_id AND p.niche_id = n.niche_id AND ${SHAREABLE}
                 AND ($4::int IS NULL OR l.owed < $4
                      OR (l.owed = $4 AND (p.credits_per_share, p.created_at, p.id) < ($5::int, $6::timestamptz, $7::uuid)))
               ORDER BY p.credits_per_share DESC, p.created_at DESC, p.id DESC LIMIT $3) x) r
          ORDER BY l.owed DESC, r."creditsPerShare" DESC, r."createdAt" DESC, r.id DESC LIMIT $3`;
    const rows = await this.transactions.queryPrepared<{ owed: number; cursorTime: string }>(
      `WITH ${CONTEXT}
       SELECT * FROM (
         (${peerPart('owed > 0')})
         UNION ALL
         (SELECT z.* FROM niches n CROSS JOIN LATERAL (
            SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime", 0 AS owed FROM ${POST_FROM}
             WHERE p.niche_id = n.niche_id AND ${SHAREABLE} AND ${afterZero}
               AND p.author_id <> ALL (SELECT peer_id FROM peers)
             ORDER BY p.credits_per_share DESC, p.created_at DESC, p.id DESC LIMIT $3) z
          ORDER BY z."creditsPerShare" DESC, z."createdAt" DESC, z.id DESC LIMIT $3)
         UNION ALL
         (${peerPart('owed < 0')})
       ) feed
       ORDER BY owed DESC, "creditsPerShare" DESC, "createdAt" DESC, id DESC LIMIT $3`,
      params,
    );
    return keysetPage(
      rows.map((row) => ({ ...FEED_POST.read(row), owed: row.owed, cursorTime: row.cursorTime })),
      page,
      (p): CursorValue[] => [p.owed, p.creditsPerShare, p.cursorTime, p.id],
      async () =>
        Number(
          (
            await this.transactions.queryPrepared<{ n: number }>(
              `WITH ${CONTEXT}
               SELECT count(*) AS n FROM ${POST_FROM} WHERE p.niche_id IN (SELECT niche_id FROM niches) AND ${SHAREABLE}`,
              [me.memberId, nicheId],
            )
          )[0]!.n,
        ),
    );
  }
}
