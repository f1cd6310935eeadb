import { Injectable } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { PostsService } from '@sharepool/content';
import { Batcher, DatabaseChanges, entityFields, StampedCache, TransactionRunner, type Tx } from '@sharepool/database';
import { NichesService } from '@sharepool/members';
import { SharingPausesService } from '@sharepool/moderation';
import { LINK_CODE_PATTERN, newLinkCode, shortUrlOf } from './link-code.js';
import { trackedTarget } from './link-target.js';
import { ShareLinkEntity } from './share-link.entity.js';

const LINK_OF_SHARE = entityFields(ShareLinkEntity, ['shareId', 'code']);
const LINK_TARGET = entityFields(ShareLinkEntity, ['code', 'shareId', 'postId', 'nicheId', 'network']);

/** The facts of a share that its link needs, fixed when the share is made. */
export interface LinkedShare {
  readonly shareId: string;
  readonly postId: string;
  readonly nicheId: string;
  readonly sharerId: string;
  readonly authorId: string;
  readonly network: string;
}

/**
 * What a code leads to now. LIVE: redirect to `target`. GONE: the post was
 * withdrawn or rejected, or a pause covers it (410).
 */
export type LinkResolution =
  { readonly state: 'LIVE'; readonly shareId: string; readonly target: string } | { readonly state: 'GONE'; readonly shareId: string };

/** Codes a redirect process remembers (about 200 bytes each). */
const MAX_REMEMBERED = 200_000;
/** A remembered answer ends with any change of posts, pauses or niches; this bounds it otherwise (a post's URL may be edited). */
const REMEMBER_MS = 60_000;
/** An unknown code is remembered briefly: codes are random, so it cannot become someone's before long. */
const REMEMBER_UNKNOWN_MS = 10_000;

/**
 * Every share's code and short link, and what a code leads to. The answers
 * are kept in memory while the database's change notifications say nothing
 * that could change them happened: approving, withdrawing or rejecting a post,
 * pausing or resuming, renaming a niche (all `feed:*`) ends every remembered
 * answer in every process at once, so a pause stops the links at once.
 */
@Injectable()
export class ShareLinksService {
  private readonly known = new StampedCache<LinkResolution>({ maxEntries: MAX_REMEMBERED, ttlMs: REMEMBER_MS });
  private readonly unknown = new StampedCache<true>({ maxEntries: 10_000, ttlMs: REMEMBER_UNKNOWN_MS });
  /** Codes looked up at the same time go in one lookup (four queries whatever their number). */
  private readonly lookups = new Batcher<string, LinkResolution | null>((codes) => this.lookUp(codes), { maxSize: 500, maxConcurrent: 2 });

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly changes: DatabaseChanges,
    private readonly posts: PostsService,
    private readonly niches: NichesService,
    private readonly pauses: SharingPausesService,
  ) {}

  /** Gives a new share its code, in the transaction that makes the share; returns its short link. */
  async issue(tx: Tx, share: LinkedShare): Promise<string> {
    for (;;) {
      const [row] = await tx.query<Pick<ShareLinkEntity, 'code'>>(
        `INSERT INTO share_links (share_id, code, post_id, niche_id, sharer_id, author_id, network)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING RETURNING code`,
        [share.shareId, newLinkCode(), share.postId, share.nicheId, share.sharerId, share.authorId, share.network],
      );
      // A code already taken (about once in 10^14 draws at a million shares) is drawn again.
      if (row) return this.shortUrl(row.code);
    }
  }

  shortUrl(code: string): string {
    return shortUrlOf(this.config.publicUrl, code);
  }

  /** Short links by share id. */
  async shortUrls(shareIds: readonly string[]): Promise<Map<string, string>> {
    if (shareIds.length === 0) return new Map();
    const rows = await this.transactions.query(`SELECT ${LINK_OF_SHARE.sql('l')} FROM share_links l WHERE l.share_id = ANY($1::uuid[])`, [
      shareIds,
    ]);
    return new Map(rows.map((row) => LINK_OF_SHARE.read(row)).map((r) => [r.shareId, this.shortUrl(r.code)]));
  }

  /** The remembered answer for a code, if there is one: null for an unknown code, undefined when it must be looked up. */
  remembered(code: string): LinkResolution | null | undefined {
    const stamp = this.changes.stamp('feed', 'links');
    const known = this.known.get(code, stamp);
    if (known) return known;
    return this.unknown.get(code, stamp) ? null : undefined;
  }

  /** What a code leads to now; null when no share has it. */
  async resolve(code: string): Promise<LinkResolution | null> {
    if (!LINK_CODE_PATTERN.test(code)) return null;
    const remembered = this.remembered(code);
    if (remembered !== undefined) return remembered;
    return this.lookups.submit(code);
  }

  private async lookUp(codes: readonly string[]): Promise<Array<LinkResolution | null>> {
    // Taken first: a change heard during the lookup makes what it finds forgotten at once.
    const stamp = this.changes.stamp('feed', 'links');
    const links = (
      await this.transactions.query(`SELECT ${LINK_TARGET.sql('l')} FROM share_links l WHERE l.code = ANY($1::text[])`, [
        [...new Set(codes)],
      ])
    ).map((row) => LINK_TARGET.read(row));
    const postIds = [...new Set(links.map((l) => l.postId))];
    const nicheIds = [...new Set(links.map((l) => l.nicheId))];
    const [posts, niches, paused] = await Promise.all([
      this.posts.findByIds(postIds),
      this.niches.findByIds(nicheIds),
      this.pauses.pausedPosts(links.map((l) => ({ postId: l.postId, nicheId: l.nicheId }))),
    ]);
    const postById = new Map(posts.map((p) => [p.id, p]));
    const slugById = new Map(niches.map((n) => [n.id, n.slug]));
    const byCode = new Map<string, LinkResolution>();
    for (const link of links) {
      const post = postById.get(link.postId);
      const slug = slugById.get(link.nicheId);
      const resolution: LinkResolution =
        post && slug && post.status === 'APPROVED' && !paused.has(link.postId)
          ? { state: 'LIVE', shareId: link.shareId, target: trackedTarget(post.url, link.network, slug) }
          : { state: 'GONE', shareId: link.shareId };
      byCode.set(link.code, resolution);
      this.known.set(link.code, resolution, stamp);
    }
    return codes.map((code) => {
      const found = byCode.get(code) ?? null;
      if (!found) this.unknown.set(code, true, stamp);
      return found;
    });
  }
}
