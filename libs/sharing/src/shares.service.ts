import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertMessageFits, type Channel, ChannelsService } from '@sharepool/channels';
import { type Post, postMessage, PostsService, postTitle } from '@sharepool/content';
import { cursorTimeSql, decodeCursor, entityFields, isUniqueViolation, keysetPage, TransactionRunner, type Tx } from '@sharepool/database';
import {
  type Actor,
  ConflictError,
  DAY_MS,
  InvalidInputError,
  NotFoundError,
  type Page,
  type PageRequest,
  PermissionDeniedError,
  requireMember,
  requireSession,
} from '@sharepool/kernel';
import { LedgerService } from '@sharepool/ledger';
import { LINK_CODE_LENGTH, ShareLinksService } from '@sharepool/links';
import { MembersService } from '@sharepool/members';
import { SharingPausedError, SharingPausesService } from '@sharepool/moderation';
import { BUDGET_LOW_SHARES, NotificationsService } from '@sharepool/notifications';
import { Outbox } from '@sharepool/queue';
import { DailyCapReachedError, TrustLevels } from '@sharepool/trust';
import { ShareSettlement } from './share-settlement.service.js';
import { ShareEntity, type ShareStatus } from './share.entity.js';
import { readShare, type Share, SHARE_FIELDS } from './share.fields.js';

const SHARE_ID = entityFields(ShareEntity, ['id']);
const SHARED_POST = entityFields(ShareEntity, ['postId']);

export interface SharePostInput {
  readonly postId: string;
  readonly channelIds: readonly string[];
  readonly message?: string | null;
  readonly scheduledFor?: Date | null;
}

export const MAX_SCHEDULE_DAYS = 30;
const MAX_CHANNELS_PER_SHARE = 10;

export class AlreadySharedError extends ConflictError {
  constructor() {
    super('You already shared this post to that channel', { field: 'channelIds' });
  }
}

/** Sharing peers' posts to one's channels, and reading one's shares. */
@Injectable()
export class SharesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly posts: PostsService,
    private readonly channels: ChannelsService,
    private readonly pauses: SharingPausesService,
    private readonly settlement: ShareSettlement,
    private readonly outbox: Outbox,
    private readonly links: ShareLinksService,
    private readonly trust: TrustLevels,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * One share per chosen channel, all or nothing. Each holds the post's credits
   * per share from its budget until it is posted (paid to the sharer) or ends
   * otherwise (back to the budget); each is delivered by a job written in the
   * same transaction, when it is due.
   */
  async share(actor: Actor, input: SharePostInput): Promise<Share[]> {
    const sharer = requireMember(actor, 'SHARE');
    const channelIds = [...new Set(input.channelIds)];
    if (channelIds.length === 0) throw new InvalidInputError('channelIds', 'Choose at least one channel');
    if (channelIds.length > MAX_CHANNELS_PER_SHARE) {
      throw new InvalidInputError('channelIds', `Share to at most ${MAX_CHANNELS_PER_SHARE} channels at once`);
    }
    const now = Date.now();
    const scheduledFor = input.scheduledFor ?? new Date(now);
    if (
      Number.isNaN(scheduledFor.getTime()) ||
      scheduledFor.getTime() < now - 60_000 ||
      scheduledFor.getTime() > now + MAX_SCHEDULE_DAYS * DAY_MS
    ) {
      throw new InvalidInputError('scheduledFor', `scheduledFor is between now and ${MAX_SCHEDULE_DAYS} days ahead`);
    }
    const custom = input.message?.trim();
    if (input.message !== undefined && input.message !== null && !custom) throw new InvalidInputError('message', 'The message is empty');

    return this.transactions.run(async (tx) => {
      // The sharer's row serialises their own concurrent shares, so the daily cap of their trust level holds.
      await this.members.lock(tx, sharer.memberId);
      const post = await this.posts.lockForShare(tx, input.postId);
      if (!post || (post.status !== 'APPROVED' && post.authorId !== sharer.memberId)) throw new NotFoundError('Post', { field: 'postId' });
      if (post.authorId === sharer.memberId) throw new PermissionDeniedError('You cannot share your own post');
      if (post.status !== 'APPROVED') throw new ConflictError('This post is not open for sharing');
      const pause = await this.pauses.pauseCovering(tx, { postId: post.id, nicheId: post.nicheId });
      if (pause) throw new SharingPausedError(pause);

      const channels = await this.channels.lock(tx, channelIds);
      const byId = new Map(channels.map((c) => [c.id, c]));
      for (const id of channelIds) {
        const channel = byId.get(id);
        if (!channel || channel.memberId !== sharer.memberId || channel.status === 'DISCONNECTED') {
          throw new NotFoundError('Channel', { field: 'channelIds' });
        }
        if (channel.status !== 'ACTIVE') {
          throw new ConflictError(`Your ${channel.network} channel ${channel.handle} needs reconnecting before it can share`, {
            field: 'channelIds',
          });
        }
      }
      const message = custom ?? postMessage(post);
      // The posted text carries the share's short link (every code has the same length) where it named the post.
      const sampleLink = this.links.shortUrl('x'.repeat(LINK_CODE_LENGTH));
      for (const channel of channels) assertMessageFits(channel.network, message, sampleLink, post.url);
      await this.checkDailyCap(tx, sharer.memberId, channels.length);

      // Locked in id order; created and returned in the order the member chose them.
      const shares: Share[] = [];
      for (const id of channelIds) shares.push(await this.createOne(tx, post, byId.get(id)!, sharer.memberId, message, scheduledFor));
      await this.tellIfBudgetLow(tx, post, shares.length);
      return shares;
    });
  }

  private async createOne(tx: Tx, post: Post, channel: Channel, sharerId: string, message: string, scheduledFor: Date): Promise<Share> {
    const id = randomUUID();
    const hold = await this.ledger.hold(tx, {
      id: randomUUID(),
      debit: { escrow: post.id },
      credit: { member: sharerId },
      amount: post.creditsPerShare,
      kind: 'SHARE_REWARD',
      postId: post.id,
      shareId: id,
      memberId: sharerId,
      memo: 'Shared a post',
    });
    try {
      const [share] = await tx.query(
        `INSERT INTO shares AS s (id, post_id, author_id, sharer_id, channel_id, niche_id, network, message, credits, hold_id, scheduled_for, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${SHARE_FIELDS.sql('s')}`,
        [
          id,
          post.id,
          post.authorId,
          sharerId,
          channel.id,
          post.nicheId,
          channel.network,
          message,
          post.creditsPerShare,
          hold.id,
          scheduledFor,
        ],
      );
      await this.links.issue(tx, {
        shareId: id,
        postId: post.id,
        nicheId: post.nicheId,
        sharerId,
        authorId: post.authorId,
        network: channel.network,
      });
      await this.outbox.add(tx, 'share.deliver', { shareId: id }, { jobId: `deliver:${id}`, runAt: scheduledFor });
      return readShare(share!);
    } catch (error) {
      if (isUniqueViolation(error, 'shares_once_per_channel')) throw new AlreadySharedError();
      throw error;
    }
  }

  /**
   * Tells the author when these shares leave the post's budget covering fewer
   * than BUDGET_LOW_SHARES more (once a day at most per post: a share that
   * fails gives its credits back, and the budget may cross the line again).
   */
  private async tellIfBudgetLow(tx: Tx, post: Post, made: number): Promise<void> {
    const { available } = await this.ledger.balance(tx, { escrow: post.id });
    const line = BUDGET_LOW_SHARES * post.creditsPerShare;
    if (available >= line || available + made * post.creditsPerShare < line) return;
    if (await this.notifications.toldLately(tx, post.authorId, 'BUDGET_LOW', post.id, 24)) return;
    await this.notifications.add(tx, {
      memberId: post.authorId,
      kind: 'BUDGET_LOW',
      postId: post.id,
      details: { postTitle: postTitle(post), sharesLeft: Math.floor(available / post.creditsPerShare) },
    });
  }

  /** RATE_LIMITED when `adding` more shares would pass the cap of the member's trust level for the last 24 hours. */
  private async checkDailyCap(tx: Tx, sharerId: string, adding: number): Promise<void> {
    const { level, privileges } = await this.trust.privilegesFor(tx, sharerId);
    const cap = privileges.sharesPerDay;
    // No wait would let more channels than the cap through at once: that is the input to change, not a rate.
    if (adding > cap) {
      throw new InvalidInputError('channelIds', `At trust level ${level} you can share ${cap} times a day: choose at most ${cap} channels`);
    }
    const recent = await tx.query<{ created: Date; now: Date }>(
      `SELECT created_at AS created, now() AS now FROM shares
        WHERE sharer_id = $1 AND created_at > now() - interval '24 hours' AND status <> 'CANCELLED'
        ORDER BY created_at DESC LIMIT $2`,
      [sharerId, cap],
    );
    if (recent.length + adding <= cap) return;
    // The share whose expiry frees enough room for these (newest first, so the (cap - adding)-th).
    const freeing = recent[cap - adding]!;
    throw new DailyCapReachedError('shares', cap, level, new Date(freeing.created.getTime() + DAY_MS), freeing.now);
  }

  /** Cancels a share that has not started posting; its credits go back to the post's budget. */
  async cancel(actor: Actor, shareId: string): Promise<Share> {
    const sharer = requireMember(actor, 'SHARE');
    return this.transactions.run(async (tx) => {
      const [row] = await tx.query(`SELECT ${SHARE_FIELDS.sql('s')} FROM shares s WHERE s.id = $1 FOR UPDATE`, [shareId]);
      const share = row ? readShare(row) : null;
      if (!share || share.sharerId !== sharer.memberId) throw new NotFoundError('Share');
      if (share.status !== 'SCHEDULED')
        throw new ConflictError(`This share is ${share.status.toLowerCase()}: only a scheduled share can be cancelled`);
      // Its last try may have gone out: cancelling would leave a live post unpaid and unchecked.
      if (share.ambiguous) throw new ConflictError('This share may already be live; it is being checked and can no longer be cancelled');
      return (await this.settlement.ended(tx, share.id, 'CANCELLED', null, ['SCHEDULED']))!;
    });
  }

  /** Disconnects a channel of the member's; its scheduled shares are cancelled and their holds released. */
  async disconnectChannel(actor: Actor, channelId: string): Promise<Channel> {
    const me = requireSession(actor);
    return this.transactions.run(async (tx) => {
      const [channel] = await this.channels.lock(tx, [channelId]);
      if (!channel || channel.memberId !== me.memberId || channel.status === 'DISCONNECTED') throw new NotFoundError('Channel');
      const scheduled = await tx.query(
        `SELECT ${SHARE_ID.sql('s')} FROM shares s WHERE s.channel_id = $1 AND s.status = 'SCHEDULED' ORDER BY s.id FOR UPDATE`,
        [channelId],
      );
      for (const { id } of scheduled.map((row) => SHARE_ID.read(row))) {
        await this.settlement.ended(tx, id, 'CANCELLED', 'The channel was disconnected', ['SCHEDULED']);
      }
      return this.channels.markDisconnected(tx, channelId);
    });
  }

  async findByIds(ids: readonly string[]): Promise<Share[]> {
    if (ids.length === 0) return [];
    return (await this.transactions.query(`SELECT ${SHARE_FIELDS.sql('s')} FROM shares s WHERE s.id = ANY($1::uuid[])`, [ids])).map(
      readShare,
    );
  }

  /** A share is visible to its sharer and to the post's author. */
  isVisible(actor: Actor, share: Share): boolean {
    return actor.kind === 'member' && (actor.memberId === share.sharerId || actor.memberId === share.authorId);
  }

  /** The actor's shares, newest first. */
  listOwn(actor: Actor, page: PageRequest, status: ShareStatus | null): Promise<Page<Share>> {
    const me = requireMember(actor, 'READ');
    return this.page(page, 's.sharer_id = $1 AND ($2::text IS NULL OR s.status = $2)', [me.memberId, status]);
  }

  /** Shares of a post, newest first; for its author only (others see none). */
  async listOfPost(actor: Actor, post: { id: string; authorId: string }, page: PageRequest): Promise<Page<Share>> {
    if (actor.kind !== 'member' || actor.memberId !== post.authorId) {
      return { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false, totalCount: async () => 0 };
    }
    return this.page(page, 's.post_id = $1 AND $2::text IS NULL', [post.id, null]);
  }

  private async page(page: PageRequest, where: string, params: unknown[]): Promise<Page<Share>> {
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const rows = await this.transactions.query<{ cursorTime: string }>(
      `SELECT ${SHARE_FIELDS.sql('s')}, ${cursorTimeSql('s.created_at')} AS "cursorTime" FROM shares s
        WHERE ${where} AND ($3::timestamptz IS NULL OR (s.created_at, s.id) < ($3::timestamptz, $4::uuid))
        ORDER BY s.created_at DESC, s.id DESC LIMIT $5`,
      [...params, after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map((row) => ({ ...readShare(row), cursorTime: row.cursorTime })),
      page,
      (s) => [s.cursorTime, s.id],
      async () => Number((await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM shares s WHERE ${where}`, params))[0]!.n),
    );
  }

  /** Which of these posts the member has shared (or is sharing), in one query. */
  async sharedPosts(memberId: string, postIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.transactions.query(
      `SELECT DISTINCT ${SHARED_POST.sql('s')} FROM shares s
        WHERE s.sharer_id = $1 AND s.post_id = ANY($2::uuid[]) AND s.status NOT IN ('FAILED', 'CANCELLED')`,
      [memberId, postIds],
    );
    return new Set(rows.map((row) => SHARED_POST.read(row).postId));
  }
}
