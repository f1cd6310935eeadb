import { Injectable } from '@nestjs/common';
import { cursorTimeSql, decodeCursor, keysetPage, TransactionRunner } from '../../database/src/index.js';
import { type Actor, type Page, type PageRequest, requireMember } from '../../kernel/src/index.js';
import { POST_COLUMNS, POST_FROM, type PostRecord } from './post.record.js';

/** A feed post with how many more shares its author gave the viewer than the viewer gave back. */
export type FeedPost = PostRecord & { readonly owed: number };

/**
 * The posts a member could share now: approved, by other active members, in the
 * member's niches (or the one asked for), not yet shared by them, with a budget
 * that still covers a share, and not paused.
 */
const CANDIDATES = `
  SELECT ${POST_COLUMNS}, ${cursorTimeSql('p.created_at')} AS "cursorTime",
         coalesce(given_to_me.shares, 0) - coalesce(given_by_me.shares, 0) AS owed
    FROM ${POST_FROM}
    JOIN members a ON a.id = p.author_id AND a.status = 'ACTIVE'
    LEFT JOIN reciprocity given_to_me ON given_to_me.sharer_id = p.author_id AND given_to_me.author_id = $1
    LEFT JOIN reciprocity given_by_me ON given_by_me.sharer_id = $1 AND given_by_me.author_id = p.author_id
   WHERE p.status = 'APPROVED' AND p.author_id <> $1
     AND CASE WHEN $2::uuid IS NULL THEN p.niche_id IN (SELECT niche_id FROM member_niches WHERE member_id = $1) ELSE p.niche_id = $2 END
     AND e.posted - e.pending_out >= p.credits_per_share
     AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.sharer_id = $1 AND s.status NOT IN ('FAILED', 'CANCELLED'))
     AND NOT EXISTS (SELECT 1 FROM sharing_pauses sp WHERE sp.resumed_at IS NULL
                        AND (sp.scope = 'EVERYTHING' OR sp.post_id = p.id OR sp.niche_id = p.niche_id))`;

@Injectable()
export class ShareFeedService {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * Best first: posts of authors who shared the viewer's posts more than the
   * viewer shared theirs, then by credits per share, then newest. The cursor
   * holds the whole sort key, so a page starts right after the last one seen.
   */
  async feed(actor: Actor, page: PageRequest, nicheId: string | null): Promise<Page<FeedPost>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['number', 'number', 'date', 'string']) : null;
    const rows = await this.transactions.query<FeedPost & { cursorTime: string }>(
      `SELECT * FROM (${CANDIDATES}) c
        WHERE $3::int IS NULL OR (c.owed, c."creditsPerShare", c."createdAt", c.id) < ($3::int, $4::int, $5::timestamptz, $6::uuid)
        ORDER BY c.owed DESC, c."creditsPerShare" DESC, c."createdAt" DESC, c.id DESC LIMIT $7`,
      [me.memberId, nicheId, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null, page.first + 1],
    );
    return keysetPage(
      rows,
      page,
      (p) => [p.owed, p.creditsPerShare, p.cursorTime, p.id],
      async () =>
        Number((await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM (${CANDIDATES}) c`, [me.memberId, nicheId]))[0]!.n),
    );
  }
}
