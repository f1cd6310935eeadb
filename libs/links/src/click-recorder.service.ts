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

/** Counts a visitor once per share and day: adds the visitor key to the day's set, and on first sight the click to `pending`. */
const RECORD_CLICK = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
return 0`;

/** The day's secret: made once by whichever process asks first, then the same for all. */
const DAY_SECRET = `
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return redis.call('GET', KEYS[1])`;

interface LinksRedis extends Redis {
  linksRecordClick(seenKey: string, pendingKey: string, visitor: string, field: string, ttlMs: number): Promise<number>;
  linksDaySecret(secretKey: string, candidate: string, ttlMs: number): Promise<string>;
}

/** The UTC day of a moment, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function endOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS;
}

/**
 * Records human clicks in Redis, and never anything that identifies who
 * clicked. The visitor key is an HMAC of (IP address, user agent) under a
 * secret of the day: the same visitor on the same share counts once per day,
 * and once the day's secret has expired nobody, Sharepool included, can tell
 * which address a key came from, or link one day's visitors to another's.
 *
 * `record` writes the command to the Redis socket before it returns (ioredis
 * writes at once on a ready connection), and the caller answers after: a
 * process killed right after answering has already handed its clicks to
 * Redis. Nobody waits for Redis to reply.
 */
@Injectable()
export class ClickRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClickRecorder');
  private readonly redis: LinksRedis;
  private readonly secrets = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(REDIS) redis: Redis) {
    this.redis = redis as LinksRedis;
    if (!('linksRecordClick' in redis)) {
      redis.defineCommand('linksRecordClick', { numberOfKeys: 2, lua: RECORD_CLICK });
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
   * Counts a human click on a share, unless this visitor counted on it today.
   * Sent before it returns when the day's secret is known (it is made ahead of
   * the day); otherwise sent as soon as the secret arrives.
   */
  record(shareId: string, ip: string, userAgent: string, at = new Date()): void {
    const day = utcDay(at);
    const secret = this.secrets.get(day);
    if (secret) return this.send(secret, day, shareId, ip, userAgent, at);
    this.secretOf(day)
      .then((loaded) => this.send(loaded, day, shareId, ip, userAgent, at))
      .catch((error: Error) => this.logger.warn(`a click was not recorded: ${error.message}`));
  }

  private send(secret: Buffer, day: string, shareId: string, ip: string, userAgent: string, at: Date): void {
    const visitor = createHmac('sha256', secret).update(ip).update('\n').update(userAgent).digest('base64url').slice(0, 16);
    this.redis
      .linksRecordClick(CLICK_KEYS.seen(day, shareId), CLICK_KEYS.pending, visitor, `${shareId}|${day}`, endOfDay(day) + GRACE_MS - at.getTime())
      .catch((error: Error) => this.logger.warn(`a click was not recorded: ${error.message}`));
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
