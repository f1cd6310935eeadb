import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type Network, PublishError } from '@sharepool/channels';
import { AppConfig } from '@sharepool/config';
import { REDIS } from '@sharepool/redis';

/** Calls in flight per network across every worker: a network is never hit by the whole fleet at once (NETWORK_CONCURRENCY overrides). */
export const NETWORK_CONCURRENCY: Readonly<Record<Network, number>> = { WEBHOOK: 16, MASTODON: 4, BLUESKY: 4, X: 2, LINKEDIN: 2 };

/** How long a slot is held without being renewed: a worker that dies frees its slots within this. */
const LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
/** A waiter looks again after this long even if no release was heard (a lease that ran out tells no one). */
const RECHECK_MS = 250;
/**
 * A slot freed while a call of the same process waits goes straight to it (no
 * round trip), as with a local semaphore; after this many hand-overs in a row it
 * goes back to Redis, so the other processes' waiters get their turn.
 */
const MAX_HANDOVERS = 16;

/**
 * Takes a slot of `limit` (KEYS[1]: the holders, scored by lease end, in Redis time), first freeing
 * those whose lease ran out. 1 when taken, 0 when full.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`;

/** Frees a slot and tells the waiters (ARGV[2]: the channel, which ioredis does not prefix). */
const RELEASE = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], '1') end
return 1
`;

/** Extends the leases of the given holders still held (ZADD XX only updates). */
const RENEW = `
local t = redis.call('TIME')
local until = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

/**
 * A counting semaphore per network shared by every worker process, in Redis:
 * each call in flight holds a slot with a lease that its process renews; a
 * process that dies stops renewing and its slots come free within LEASE_MS.
 * A call that finds the network full waits for a release (Redis pub/sub) or
 * looks again every RECHECK_MS. When Redis cannot be reached the call is not
 * made: it fails as TRANSIENT (nothing was posted) and is tried again later.
 */
@Injectable()
export class NetworkLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('NetworkLimiter');
  private readonly limits: Readonly<Record<Network, number>>;
  private readonly process = randomUUID();
  private sequence = 0;
  /** Slots this process holds, per network: renewed together. */
  private readonly held = new Map<Network, Set<string>>();
  /** Calls of this process waiting for a slot, per network: woken to look again, or handed a slot (its holder id). */
  private readonly waiters = new Map<Network, Array<(slot?: Slot) => void>>();
  private subscriber: Redis | undefined;
  private readonly subscribed = new Set<Network>();
  private renewal: NodeJS.Timeout | undefined;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.limits = { ...NETWORK_CONCURRENCY, ...(config.networkConcurrency as Partial<Record<Network, number>>) };
    this.prefix = config.queuePrefix;
  }

  limit(network: Network): number {
    return this.limits[network];
  }

  async run<T>(network: Network, work: () => Promise<T>): Promise<T> {
    const slot = await this.acquire(network);
    try {
      return await work();
    } finally {
      this.release(network, slot);
    }
  }

  private release(network: Network, slot: Slot): void {
    const waiter = slot.handovers < MAX_HANDOVERS ? this.waiters.get(network)?.shift() : undefined;
    if (waiter) {
      // The slot stays held in Redis under the same holder (and its renewals): only its user changes.
      waiter({ holder: slot.holder, handovers: slot.handovers + 1 });
      return;
    }
    this.held.get(network)?.delete(slot.holder);
    this.redis
      .eval(RELEASE, 1, key(network), slot.holder, this.channel(network))
      .catch((error: Error) => this.logger.warn(`a ${network} slot was not released (its lease will end it): ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    for (const wake of [...this.waiters.values()].flat()) wake();
    // Not quit(): with Redis down it would wait for ever; a subscriber has nothing to flush.
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private async acquire(network: Network): Promise<Slot> {
    const holder = `${this.process}:${++this.sequence}`;
    this.listen(network);
    for (;;) {
      let taken: number;
      try {
        taken = (await this.redis.eval(ACQUIRE, 1, key(network), this.limits[network], LEASE_MS, holder)) as number;
      } catch (error) {
        throw new PublishError(
          'TRANSIENT',
          `Sharepool could not take a ${network} slot (Redis: ${(error as Error).message}); trying again later`,
        );
      }
      if (taken === 1) {
        let set = this.held.get(network);
        if (!set) this.held.set(network, (set = new Set()));
        set.add(holder);
        this.renewal ??= setInterval(() => this.renew(), RENEW_EVERY_MS).unref();
        return { holder, handovers: 0 };
      }
      const handed = await new Promise<Slot | undefined>((resolve) => {
        const list = this.waiters.get(network) ?? [];
        this.waiters.set(network, list);
        const wake = (slot?: Slot) => {
          clearTimeout(timer);
          const at = list.indexOf(wake);
          if (at >= 0) list.splice(at, 1);
          resolve(slot);
        };
        const timer = setTimeout(wake, RECHECK_MS + Math.random() * RECHECK_MS);
        list.push(wake);
      });
      if (handed) return handed;
    }
  }

  /** Subscribes (once) to the releases of `network`: the first local waiter tries again at once. */
  private listen(network: Network): void {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate({ keyPrefix: undefined, enableAutoPipelining: false, maxRetriesPerRequest: null });
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (channel: string) => {
        const network = channel.slice(channel.lastIndexOf(':') + 1) as Network;
        this.waiters.get(network)?.[0]?.();
      });
    }
    if (this.subscribed.has(network)) return;
    this.subscribed.add(network);
    this.subscriber.subscribe(this.channel(network)).catch((error: Error) => {
      this.subscribed.delete(network);
      this.logger.warn(`not listening to ${network} releases (waiters look again every ${RECHECK_MS} ms): ${error.message}`);
    });
  }

  private renew(): void {
    for (const [network, holders] of this.held) {
      if (holders.size === 0) continue;
      this.redis
        .eval(RENEW, 1, key(network), LEASE_MS, ...holders)
        .catch((error: Error) => this.logger.warn(`could not renew the ${network} slots: ${error.message}`));
    }
  }

  private channel(network: Network): string {
    return `${this.prefix}:limiter:released:${network}`;
  }
}

/** A slot held: its holder id in Redis, and how many calls in a row it was handed to. */
interface Slot {
  readonly holder: string;
  readonly handovers: number;
}

function key(network: Network): string {
  return `limiter:${network}`;
}
