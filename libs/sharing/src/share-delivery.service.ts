import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  type ChannelCredentials,
  ChannelDirectoryView,
  ChannelsService,
  composePostText,
  CredentialDecryptionError,
  NetworkAdapters,
  PublishError,
  type PublishRequest,
  type PublishResult,
} from '@sharepool/channels';
import { AppConfig } from '@sharepool/config';
import { postTitle, PostWithBudgetView } from '@sharepool/content';
import { BatchItemFailure, Batcher, entityFields, type FieldsOf, type Prefixed, TransactionRunner, type Tx } from '@sharepool/database';
import { ShareLinksService } from '@sharepool/links';
import { MemberDirectoryView } from '@sharepool/members';
import { Metrics } from '@sharepool/observability';
import { JobQueue } from '@sharepool/queue';
import { NetworkLimiter } from './network-limiter.js';
import { type PublishedShare, ShareSettlement } from './share-settlement.service.js';
import { ShareEntity } from './share.entity.js';
import { readShare, type Share, SHARE_FIELDS } from './share.fields.js';

/** Tries of one share before it fails for good. */
export const MAX_DELIVERY_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 10 * 60_000;
/** The longest one try may take, look-ups and retried sessions included (adapters time out well before). */
const PUBLISH_DEADLINE_MS = 60_000;
/** Shares claimed, or recorded as posted, in one transaction at most. */
const BATCH_SIZE = 64;

export type DeliveryOutcome = 'POSTED' | 'FAILED' | 'RETRY' | 'WAITING' | 'SKIPPED';

const LEASE = entityFields(ShareEntity, ['leaseToken']);
const CLAIM_CHANNEL = entityFields(ChannelDirectoryView, ['handle', 'credentialsSealed']).prefixed('channel');
const CLAIM_POST = entityFields(PostWithBudgetView, ['url', 'title']).prefixed('post');
const CLAIM_SHARER = entityFields(MemberDirectoryView, ['handle']).prefixed('sharer');

/** A share with what posting it needs: its lease, its channel's handle and sealed credentials, its post, its sharer. */
type ClaimRow = Share &
  FieldsOf<typeof LEASE> &
  Prefixed<Pick<ChannelDirectoryView, 'handle' | 'credentialsSealed'>, 'channel'> &
  Prefixed<Pick<PostWithBudgetView, 'url' | 'title'>, 'post'> &
  Prefixed<Pick<MemberDirectoryView, 'handle'>, 'sharer'>;

/** Each lib's own read of its rows: the channel's, the post's and the member's published views. */
const CLAIM_COLUMNS = `${SHARE_FIELDS.sql('s')}, ${LEASE.sql('s')}, ${CLAIM_CHANNEL.sql('c')}, ${CLAIM_POST.sql('p')}, ${CLAIM_SHARER.sql('m')}`;
const CLAIM_JOINS = `JOIN channel_directory c ON c.id = s.channel_id JOIN posts_with_budget p ON p.id = s.post_id
  JOIN member_directory m ON m.id = s.sharer_id`;

function readClaim(row: Readonly<Record<string, unknown>>): ClaimRow {
  return { ...readShare(row), ...LEASE.read(row), ...CLAIM_CHANNEL.read(row), ...CLAIM_POST.read(row), ...CLAIM_SHARER.read(row) };
}

/** What claiming one share alone reads besides: whether it is due and paused, its post's status, its channel's last post. */
const ALONE_POST = entityFields(PostWithBudgetView, ['status']).prefixed('post');
const ALONE_CHANNEL = entityFields(ChannelDirectoryView, ['lastPostedAt']);
const SHARE_CHANNEL = entityFields(ShareEntity, ['channelId']);

/** What the network is asked to publish for a share: its message carrying its short link. */
function publishRequest(share: Omit<ClaimRow, 'channelCredentialsSealed'>, shortUrl: string): PublishRequest {
  return {
    text: composePostText(share.message, shortUrl, share.postUrl),
    link: shortUrl,
    idempotencyKey: share.id,
    channelHandle: share.channelHandle,
    shareId: share.id,
    post: { id: share.postId, url: share.postUrl, title: postTitle({ title: share.postTitle, url: share.postUrl }) },
    sharer: { handle: share.sharerHandle },
  };
}

interface Claimed {
  readonly share: Share;
  readonly leaseToken: string;
  readonly credentials: ChannelCredentials;
  readonly request: PublishRequest;
  /**
   * Only look for the post on the account, never post it: its post was withdrawn
   * or rejected after a try that may have gone out.
   */
  readonly lookOnly?: boolean;
}

/** A look-only claim found no post: the earlier try did not go out after all. */
class NeverPublished extends Error {}

const CLOSED_POST_REASON = 'The post was withdrawn or rejected before it went out';

/**
 * Delivers a share, effectively once. The database decides: a worker claims a
 * due share with a lease (SCHEDULED → POSTING), posts it with the share id as
 * idempotency key, then records the outcome in one transaction. An attempt
 * that may have posted is never repeated blindly: where the network honours
 * the key the retry reuses it, elsewhere the account is searched first.
 */
@Injectable()
export class ShareDeliveryService {
  private readonly logger = new Logger('ShareDelivery');
  private readonly deliveries;
  private readonly latency;
  /** Shares whose jobs run at the same time are claimed in one statement, and recorded as posted in another. */
  private readonly claims = new Batcher<string, Claimed | DeliveryOutcome>((ids) => this.claimBatch(ids), {
    maxSize: BATCH_SIZE,
    maxConcurrent: 1,
  });
  private readonly settles = new Batcher<PublishedShare, boolean>((published) => this.settlement.recordPosted(published), {
    // One at a time: recording one post's shares locks its row, so two batches at once would only queue.
    maxSize: BATCH_SIZE,
    maxConcurrent: 1,
  });

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly channels: ChannelsService,
    private readonly adapters: NetworkAdapters,
    private readonly settlement: ShareSettlement,
    private readonly jobs: JobQueue,
    private readonly links: ShareLinksService,
    private readonly limiter: NetworkLimiter,
    metrics: Metrics,
  ) {
    this.deliveries = metrics.counter('sharepool_deliveries_total', 'Share delivery attempts by network and outcome', [
      'network',
      'outcome',
    ]);
    this.latency = metrics.histogram(
      'sharepool_delivery_latency_seconds',
      'From when a share was due to when it was posted',
      ['network'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
    );
  }

  /**
   * Claims, posts and records one share. With `recordLater`, the outcome of a
   * post the network accepted is recorded in the next batch after this returns,
   * so the worker's slot goes to the next share meanwhile (`recorded()` waits
   * for those); should the process die first, the lease runs out and the
   * sweeper finds the post on its next try, never a blind second post.
   */
  async deliver(shareId: string, { recordLater = false }: { recordLater?: boolean } = {}): Promise<DeliveryOutcome> {
    const claim = await this.claims.submit(shareId);
    if (typeof claim === 'string') return claim;
    const { share } = claim;
    let result: PublishResult;
    try {
      result = await this.publishLeased(claim);
    } catch (error) {
      if (error instanceof NeverPublished) {
        await this.transactions.run((tx) =>
          this.settlement.ended(tx, share.id, 'CANCELLED', CLOSED_POST_REASON, ['POSTING'], claim.leaseToken),
        );
        this.deliveries.inc({ network: share.network, outcome: 'CANCELLED' });
        return 'SKIPPED';
      }
      const failure = error instanceof PublishError ? error : null;
      if (!failure)
        this.logger.error(`delivering share ${share.id} failed unexpectedly: ${(error as Error).message}`, (error as Error).stack);
      // An unexpected error may have come after the request went out: treat it as ambiguous.
      const outcome = await this.transactions.run((tx) =>
        this.recordFailure(tx, claim, failure ?? new PublishError('AMBIGUOUS', 'Sharepool could not tell whether the post went out')),
      );
      this.deliveries.inc({ network: share.network, outcome: failure?.kind ?? 'ERROR' });
      return outcome;
    }
    // If recording fails the lease runs out and the sweeper retries as ambiguous: never a blind second post.
    const recording = this.settles.submit({ shareId: share.id, result }).then(() => {
      this.deliveries.inc({ network: share.network, outcome: 'POSTED' });
      this.latency.observe({ network: share.network }, Math.max(0, Date.now() - share.scheduledFor.getTime()) / 1000);
    });
    if (!recordLater) await recording;
    else
      recording.catch((error: Error) => this.logger.warn(`recording posted share ${share.id} failed; the sweeper will: ${error.message}`));
    return 'POSTED';
  }

  /** Resolves once every outcome handed to the next batch (`recordLater`) has been recorded or has failed. */
  recorded(): Promise<void> {
    return this.settles.idle();
  }

  /**
   * Posts within the network's concurrency limit, holding the lease meanwhile.
   * The adapters have deadlines of their own; this one is the last word, so a
   * call that never settles cannot hold its share (and a worker slot) forever.
   */
  private async publishLeased(claim: Claimed): Promise<PublishResult> {
    const heartbeat = this.keepLease(claim);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await this.limiter.run(claim.share.network, () =>
        Promise.race([
          this.publish(claim),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new PublishError('AMBIGUOUS', 'The network did not answer in time; the post may have gone out')),
              PUBLISH_DEADLINE_MS,
            );
          }),
        ]),
      );
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
    }
  }

  /**
   * Renews the lease while this worker is waiting for the network or for its
   * answer: the lease is what tells a live worker from a dead one, so it must not
   * run out under a slow call (the sweeper would then start a second try while
   * the first is still in flight). A worker that dies stops renewing, and the
   * lease runs out within SHARE_LEASE_SECONDS.
   */
  private keepLease({ share, leaseToken }: Claimed): NodeJS.Timeout {
    const seconds = this.config.shareLeaseSeconds;
    const timer = setInterval(
      () => {
        this.transactions
          .query(
            `UPDATE shares SET lease_expires_at = now() + make_interval(secs => $3)
              WHERE id = $1 AND status = 'POSTING' AND lease_token = $2`,
            [share.id, leaseToken, seconds],
          )
          .catch((error: Error) => this.logger.warn(`could not renew the lease of share ${share.id}: ${error.message}`));
      },
      Math.max(500, (seconds * 1000) / 3),
    );
    timer.unref();
    return timer;
  }

  /**
   * Takes due shares for this worker, or says why not (a string outcome). The
   * database claims every share that may go now in one statement
   * (shares_claim); each of the others, rare, is decided alone by claimAlone.
   */
  private async claimBatch(shareIds: readonly string[]): Promise<Array<Claimed | DeliveryOutcome | BatchItemFailure>> {
    const ids = [...new Set(shareIds)];
    const tokens = ids.map(() => randomUUID());
    const rows = (
      await this.transactions.atomic(`SELECT ${CLAIM_COLUMNS} FROM shares_claim($1::uuid[], $2::uuid[], $3, $4, $5) s ${CLAIM_JOINS}`, [
        ids,
        tokens,
        this.config.shareLeaseSeconds,
        this.config.channelMinIntervalSeconds,
        MAX_DELIVERY_ATTEMPTS,
      ])
    ).map(readClaim);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const shortUrls = await this.links.shortUrls(ids);
    const outcomes = new Map<string, Claimed | DeliveryOutcome | BatchItemFailure>();
    for (const [i, id] of ids.entries()) {
      const row = byId.get(id);
      try {
        if (!row) outcomes.set(id, 'SKIPPED');
        else if (row.status === 'POSTING' && row.leaseToken === tokens[i]) outcomes.set(id, await this.claimed(row, shortUrls, tokens[i]!));
        else if (row.status !== 'SCHEDULED') outcomes.set(id, 'SKIPPED');
        else {
          const alone = await this.transactions.run((tx) => this.claimAlone(tx, id));
          outcomes.set(id, typeof alone === 'string' ? alone : await this.claimed(alone.row, shortUrls, alone.leaseToken, alone.lookOnly));
        }
      } catch (error) {
        // This share's job fails and is retried; the shares claimed beside it go on.
        outcomes.set(id, new BatchItemFailure(error));
      }
    }
    // A share asked for twice in one batch is claimed once; its second job has nothing to do.
    return shareIds.map((id, i) => (shareIds.indexOf(id) === i ? outcomes.get(id)! : 'SKIPPED'));
  }

  /** A share claimed for this worker, with its credentials opened (a channel whose credentials do not open fails it). */
  private async claimed(
    row: ClaimRow,
    shortUrls: ReadonlyMap<string, string>,
    leaseToken: string,
    lookOnly = false,
  ): Promise<Claimed | DeliveryOutcome> {
    let credentials: ChannelCredentials;
    try {
      credentials = this.channels.unseal(row.channelId, row.channelCredentialsSealed);
    } catch (error) {
      if (!(error instanceof CredentialDecryptionError)) throw error;
      await this.transactions.run(async (tx) => {
        await this.channels.markNeedsReauth(tx, row.channelId, 'Its stored credentials could not be read; reconnect it');
        await this.settlement.ended(tx, row.id, 'FAILED', 'The channel needs reconnecting', ['POSTING'], leaseToken);
      });
      return 'FAILED';
    }
    const { channelCredentialsSealed: _sealed, ...share } = row;
    const shortUrl = shortUrls.get(row.id);
    // Every share gets its link in the transaction that makes it (older ones in the migration).
    if (!shortUrl) throw new Error(`share ${row.id} has no short link`);
    return { share, leaseToken, credentials, request: publishRequest(row, shortUrl), lookOnly };
  }

  /**
   * Decides one share the batch did not claim, under the locks of its channel
   * and itself: it may have run out of tries, wait for a pause or its channel's
   * next slot, or end because its post or channel is gone. Claims it when none
   * of those holds (a share that became due meanwhile).
   */
  private async claimAlone(tx: Tx, shareId: string): Promise<{ row: ClaimRow; leaseToken: string; lookOnly: boolean } | DeliveryOutcome> {
    const [target] = await tx.query(`SELECT ${SHARE_CHANNEL.sql('s')} FROM shares s WHERE s.id = $1`, [shareId]);
    if (!target) return 'SKIPPED';
    // The channel first, then the share: the order disconnecting locks them in.
    const [channel] = await this.channels.lock(tx, [SHARE_CHANNEL.read(target).channelId]);
    const [found] = await tx.query<{ due: boolean; paused: boolean }>(
      `SELECT ${CLAIM_COLUMNS}, ${ALONE_POST.sql('p')}, ${ALONE_CHANNEL.sql('c')},
              s.next_attempt_at <= now() + interval '1 second' AS due, sharing_paused(s.post_id, s.niche_id) AS paused
         FROM shares s ${CLAIM_JOINS} WHERE s.id = $1 FOR UPDATE OF s`,
      [shareId],
    );
    const share = found && {
      ...readClaim(found),
      ...ALONE_POST.read(found),
      ...ALONE_CHANNEL.read(found),
      due: found.due,
      paused: found.paused,
    };
    if (!share || !channel || share.status !== 'SCHEDULED' || !share.due) return 'SKIPPED';
    if (share.attempts >= MAX_DELIVERY_ATTEMPTS) {
      // Only tries that never recorded an outcome get here (a worker died during each): a share that
      // takes its worker down must not do so forever.
      const last = share.failureReason ?? 'the delivery was interrupted';
      await this.settlement.ended(tx, share.id, 'FAILED', `Gave up after ${share.attempts} tries: ${last}`, ['SCHEDULED']);
      return 'FAILED';
    }
    if (share.paused) return 'WAITING';
    // A closed post's share is cancelled, unless its last try may have gone out: then, where the
    // network can be searched, it is looked for (found, it is posted and paid; not found, cancelled).
    const lookOnly = share.postStatus !== 'APPROVED';
    if (lookOnly && !(share.ambiguous && channel.status === 'ACTIVE' && !this.adapters.get(share.network).honoursIdempotencyKey)) {
      await this.settlement.ended(tx, share.id, 'CANCELLED', CLOSED_POST_REASON, ['SCHEDULED']);
      return 'SKIPPED';
    }
    if (channel.status !== 'ACTIVE') {
      const reason =
        channel.status === 'NEEDS_REAUTH'
          ? `Your ${channel.network} channel ${channel.handle} needs reconnecting${channel.statusReason ? `: ${channel.statusReason}` : ''}`
          : 'The channel was disconnected';
      await this.settlement.ended(tx, share.id, 'FAILED', reason, ['SCHEDULED']);
      return 'FAILED';
    }
    const gapMs = this.config.channelMinIntervalSeconds * 1000;
    const nextSlot = share.lastPostedAt ? share.lastPostedAt.getTime() + gapMs : 0;
    if (!lookOnly && nextSlot > Date.now()) {
      await tx.query(`UPDATE shares SET next_attempt_at = $2, updated_at = now() WHERE id = $1`, [share.id, new Date(nextSlot)]);
      tx.afterCommit(() => this.wakeAt(share.id, new Date(nextSlot), share.attempts));
      return 'WAITING';
    }
    const leaseToken = randomUUID();
    await tx.query(
      `UPDATE shares SET status = 'POSTING', attempts = attempts + 1, lease_token = $2,
              lease_expires_at = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1`,
      [share.id, leaseToken, this.config.shareLeaseSeconds],
    );
    // Looking posts nothing: the channel's slot stays free.
    if (!lookOnly) await this.channels.takeSlot(tx, channel.id);
    return { row: { ...share, attempts: share.attempts + 1 }, leaseToken, lookOnly };
  }

  /** Posts the share; after an ambiguous try on a network without idempotency keys, looks for it first. */
  private async publish({ share, credentials, request, lookOnly }: Claimed): Promise<PublishResult> {
    const adapter = this.adapters.get(share.network);
    if (lookOnly) {
      const found = await adapter.findPublished(credentials, request);
      if (!found) throw new NeverPublished();
      return found;
    }
    if (share.ambiguous && !adapter.honoursIdempotencyKey) {
      const found = await adapter.findPublished(credentials, request);
      if (found) return found;
    }
    return adapter.publish(credentials, request);
  }

  private async recordFailure(tx: Tx, { share, leaseToken }: Claimed, failure: PublishError): Promise<DeliveryOutcome> {
    if (failure.kind === 'AUTH_EXPIRED' || failure.kind === 'PERMANENT') {
      if (failure.kind === 'AUTH_EXPIRED') await this.channels.markNeedsReauth(tx, share.channelId, failure.reason);
      await this.settlement.ended(tx, share.id, 'FAILED', failure.reason, ['POSTING'], leaseToken);
      return 'FAILED';
    }
    if (share.attempts >= MAX_DELIVERY_ATTEMPTS) {
      await this.settlement.ended(
        tx,
        share.id,
        'FAILED',
        `Gave up after ${share.attempts} tries: ${failure.reason}`,
        ['POSTING'],
        leaseToken,
      );
      return 'FAILED';
    }
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (share.attempts - 1)) * (0.5 + Math.random() / 2);
    const next = new Date(Date.now() + Math.max(backoff, (failure.retryAfterSeconds ?? 0) * 1000));
    const { rowCount } = await tx.execute(
      `UPDATE shares SET status = 'SCHEDULED', next_attempt_at = $3, ambiguous = ambiguous OR $4, failure_reason = $5,
              lease_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'POSTING' AND lease_token = $2`,
      [share.id, leaseToken, next, failure.kind === 'AMBIGUOUS', failure.reason.slice(0, 1000)],
    );
    if (rowCount) tx.afterCommit(() => this.wakeAt(share.id, next, share.attempts));
    return 'RETRY';
  }

  /** Enqueues a delivery job for when the share is due (the sweeper covers a lost one). */
  private async wakeAt(shareId: string, at: Date, attempt: number): Promise<void> {
    await this.jobs.add(
      'share.deliver',
      { shareId },
      { jobId: `deliver:${shareId}:${attempt}:${at.getTime()}`, delayMs: at.getTime() - Date.now() },
    );
  }
}
