import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '@sharepool/redis';

const DAY_MS = 86_400_000;
/** How long a day's secret and visitor sets outlive the day (clocks of processes differ a little). */
const GRACE_MS = 3_600_000;
/** How often today's and tomorrow's secrets are made sure of. */
const SECRET_REFRESH_MS = 10 * 60_000;

/** Redis keys (under the process's key prefix). */
export const CLICK_KEYS = {
  /** Hash `<share id>|<YYYY-MM-DD>` → clicks counted and not yet in Postgres. */
  pending: 'links:pending',
  /** The ids of batches taken from `pending` and not yet deleted after reaching Postgres. */
  batches: 'links:batches',
  batchSequence: 'links:batch-seq',
  batch: (id: string) => `links:batch:${id}`,
  /** Visitor keys that already counted for a share on a day. */
  seen: (day: string, shareId: string) => `links:seen:${day}:${shareId}`,
  /** The day's HMAC key; expires after the day, and then no visitor key of that day can be made again. */
  secret: (day: string) => `links:secret:${day}`,
} as const;

/**
 * Counts each visitor once per share and day: adds the visitor key to the
 * share's set of the day, and on first sight the click to `pending`.
 * KEYS: pending, then one visitors' set per click; ARGV: the sets' time to
 * live (ms), then a visitor key and a pending field per click.
 */
const RECORD_CLICKS = `
for i = 2, #KEYS do
  if redis.call('SADD', KEYS[i], ARGV[2 * i - 2]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    redis.call('HINCRBY', KEYS[1], ARGV[2 * i - 1], 1)
  end
end
return 0`;
/** Clicks sent in one call at most. */
const MAX_BATCH = 500;

/** The day's secret: made once by whichever process asks first, then the same for all. */
const DAY_SECRET = `
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return redis.call('GET', KEYS[1])`;

interface LinksRedis extends Redis {
  linksRecordClicks(numberOfKeys: number, ...keysThenArgs: Array<string | number>): Promise<number>;
  linksDaySecret(secretKey: string, candidate: string, ttlMs: number): Promise<string>;
}

/** The UTC day of a moment, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function endOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS;
}

interface Click {
  readonly seenKey: string;
  readonly visitor: string;
  readonly field: string;
  readonly ttlMs: number;
  /** Called once the click is on its way to Redis. */
  readonly sent: () => void;
}

/**
 * Records human clicks in Redis, and never anything that identifies who
 * clicked. The visitor key is an HMAC of (IP address, user agent) under a
 * secret of the day: the same visitor on the same share counts once per day,
 * and once the day's secret has expired nobody, Sharepool included, can tell
 * which address a key came from, or link one day's visitors to another's.
 *
 * Clicks that arrive in one turn of the event loop go to Redis in one call,
 * at the end of that turn, and each caller is told when its click has been
 * written to the Redis socket (ioredis writes at once on a ready connection):
 * the redirect answers then. A process killed right after answering has
 * already handed its clicks to Redis; nobody waits for Redis to reply.
 */
@Injectable()
export class ClickRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClickRecorder');
  private readonly redis: LinksRedis;
  private readonly secrets = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private queue: Click[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(REDIS) redis: Redis) {
    this.redis = redis as LinksRedis;
    if (!('linksRecordClicks' in redis)) {
      redis.defineCommand('linksRecordClicks', { lua: RECORD_CLICKS });
      redis.defineCommand('linksDaySecret', { numberOfKeys: 1, lua: DAY_SECRET });
    }
  }

  onApplicationBootstrap(): void {
    void this.prepareSecrets();
    this.timer = setInterval(() => void this.prepareSecrets(), SECRET_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Counts a human click on a share, unless this visitor counted on it today,
   * and calls `sent` once the click has been written to Redis (at the end of
   * this turn of the event loop). When the day's secret is not known yet (it
   * is made a day ahead, so only while Redis could not be reached), `sent` is
   * called at once and the click follows when the secret arrives.
   */
  record(shareId: string, ip: string, userAgent: string, sent: () => void, at = new Date()): void {
    const day = utcDay(at);
    const secret = this.secrets.get(day);
    if (secret) return this.enqueue(secret, day, shareId, ip, userAgent, at, sent);
    sent();
    this.secretOf(day)
      .then((loaded) => this.enqueue(loaded, day, shareId, ip, userAgent, at, () => undefined))
      .catch((error: Error) => this.logger.warn(`a click was not recorded: ${error.message}`));
  }

  private enqueue(secret: Buffer, day: string, shareId: string, ip: string, userAgent: string, at: Date, sent: () => void): void {
    const visitor = createHmac('sha256', secret).update(ip).update('\n').update(userAgent).digest('base64url').slice(0, 16);
    const ttlMs = endOfDay(day) + GRACE_MS - at.getTime();
    if (this.queue.length === 0) setImmediate(() => this.send());
    this.queue.push({ seenKey: CLICK_KEYS.seen(day, shareId), visitor, field: `${shareId}|${day}`, ttlMs, sent });
  }

  private send(): void {
    const clicks = this.queue;
    this.queue = [];
    for (let i = 0; i < clicks.length; i += MAX_BATCH) {
      const batch = clicks.slice(i, i + MAX_BATCH);
      const ttlMs = Math.max(...batch.map((c) => c.ttlMs));
      const args: Array<string | number> = [batch.length + 1, CLICK_KEYS.pending, ...batch.map((c) => c.seenKey), ttlMs];
      for (const click of batch) args.push(click.visitor, click.field);
      this.redis
        .linksRecordClicks(...(args as [number, ...Array<string | number>]))
        .catch((error: Error) => this.logger.warn(`${batch.length} click(s) not recorded: ${error.message}`));
    }
    for (const click of clicks) click.sent();
  }

  /** Today's and tomorrow's secrets, ahead of need; older days are forgotten. */
  async prepareSecrets(now = new Date()): Promise<void> {
    const today = utcDay(now);
    for (const day of this.secrets.keys()) if (day < today) this.secrets.delete(day);
    await Promise.all([today, utcDay(new Date(now.getTime() + DAY_MS))].map((day) => this.secretOf(day))).catch((error: Error) =>
      this.logger.warn(`the visitor key secrets could not be read: ${error.message}`),
    );
  }

  private secretOf(day: string): Promise<Buffer> {
    const known = this.secrets.get(day);
    if (known) return Promise.resolve(known);
    let loading = this.loading.get(day);
    if (!loading) {
      const ttl = Math.max(1, endOfDay(day) + GRACE_MS - Date.now());
      loading = this.redis
        .linksDaySecret(CLICK_KEYS.secret(day), randomBytes(32).toString('base64'), ttl)
        .then((value) => {
          const secret = Buffer.from(value, 'base64');
          this.secrets.set(day, secret);
          return secret;
        })
        .finally(() => this.loading.delete(day));
      this.loading.set(day, loading);
    }
    return loading;
  }
}
