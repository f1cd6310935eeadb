import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { TransactionRunner } from '@sharepool/database';
import { REDIS } from '@sharepool/redis';
import { CLICK_KEYS } from './click-recorder.service.js';

const FLUSH_INTERVAL_MS = 1_000;
/** Applied batch ids are kept this long: far longer than any flush between reading a batch and applying it. */
const KEEP_BATCH_IDS = '1 hour';
const PRUNE_EVERY_FLUSHES = 60;

/**
 * Takes what is pending under a new batch id, atomically, and returns every
 * batch id not yet finished: this flusher's, and any that a flusher which
 * died left behind.
 */
const CLAIM_BATCH = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local id = redis.call('INCR', KEYS[3])
  redis.call('RENAME', KEYS[1], ARGV[1] .. id)
  redis.call('SADD', KEYS[2], id)
end
return redis.call('SMEMBERS', KEYS[2])`;

interface FlushRedis extends Redis {
  linksClaimBatch(pending: string, batches: string, sequence: string, batchKeyPrefix: string): Promise<string[]>;
}

/**
 * Moves counted clicks from Redis into Postgres, every second, in batches.
 * A batch is renamed away from the pending hash in one step, added to the
 * per-share per-day counters with its id in one transaction, and only then
 * deleted from Redis. Any process may flush at any time: a batch that two
 * flushers apply (one died after committing, or both picked up the same
 * leftover) counts once, because its id can be written once. So a process
 * killed at any point loses nothing that reached Redis, and a Redis that
 * restarts loses at most what was counted since the last flush.
 */
@Injectable()
export class ClickFlusher implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('ClickFlusher');
  private readonly redis: FlushRedis;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private flushes = 0;
  private stopped = false;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly transactions: TransactionRunner,
  ) {
    this.redis = redis as FlushRedis;
    if (!('linksClaimBatch' in redis)) redis.defineCommand('linksClaimBatch', { numberOfKeys: 3, lua: CLAIM_BATCH });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.flushNow().catch((error: Error) => this.logger.warn(`clicks not flushed yet, next try in a second: ${error.message}`));
    }, FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** One last flush before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushNow().catch((error: Error) => this.logger.warn(`clicks left in Redis for the next flush: ${error.message}`));
    this.stopped = true;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.stopped = true;
  }

  /** Flushes everything counted so far (after the flush already running, if any); resolves with the clicks it added. */
  flushNow(): Promise<number> {
    const next = this.running.catch(() => 0).then(() => (this.stopped ? 0 : this.flush()));
    this.running = next;
    return next;
  }

  private async flush(): Promise<number> {
    const ids = await this.redis.linksClaimBatch(
      CLICK_KEYS.pending,
      CLICK_KEYS.batches,
      CLICK_KEYS.batchSequence,
      `${this.redis.options.keyPrefix ?? ''}${CLICK_KEYS.batch('')}`,
    );
    let added = 0;
    for (const id of ids.sort((a, b) => Number(a) - Number(b))) added += await this.applyBatch(id);
    if (++this.flushes % PRUNE_EVERY_FLUSHES === 0) {
      await this.transactions.query(`DELETE FROM link_click_batches WHERE applied_at < now() - interval '${KEEP_BATCH_IDS}'`);
    }
    return added;
  }

  private async applyBatch(id: string): Promise<number> {
    const counts = await this.redis.hgetall(CLICK_KEYS.batch(id));
    const shareIds: string[] = [];
    const days: string[] = [];
    const clicks: number[] = [];
    for (const [field, value] of Object.entries(counts)) {
      const [shareId, day] = field.split('|');
      shareIds.push(shareId!);
      days.push(day!);
      clicks.push(Number(value));
    }
    let added = 0;
    if (shareIds.length > 0) {
      const [row] = await this.transactions.atomic<{ added: number | null }>(
        `WITH fresh AS (INSERT INTO link_click_batches (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id),
         counted AS (
           INSERT INTO link_clicks AS c (share_id, day, post_id, niche_id, sharer_id, author_id, clicks)
           SELECT l.share_id, v.day, l.post_id, l.niche_id, l.sharer_id, l.author_id, v.clicks
             FROM fresh, unnest($2::uuid[], $3::date[], $4::int[]) AS v(share_id, day, clicks)
             JOIN share_links l ON l.share_id = v.share_id
            ORDER BY l.share_id, v.day
           ON CONFLICT (share_id, day) DO UPDATE SET clicks = c.clicks + excluded.clicks
           RETURNING c.share_id, c.day)
         SELECT coalesce(sum(v.clicks), 0)::int AS added
           FROM counted JOIN unnest($2::uuid[], $3::date[], $4::int[]) AS v(share_id, day, clicks)
             ON v.share_id = counted.share_id AND v.day = counted.day`,
        [id, shareIds, days, clicks],
      );
      added = row?.added ?? 0;
    }
    await this.redis.multi().del(CLICK_KEYS.batch(id)).srem(CLICK_KEYS.batches, id).exec();
    return added;
  }
}
