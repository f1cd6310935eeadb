import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { JOB_NAMES } from './job-catalogue.js';

/**
 * The Redis connections Bull uses: one command client and one subscriber shared
 * by every queue, one blocking client per queue. Bull does not close connections
 * it did not create, so these are closed here after the queues.
 */
@Injectable()
export class BullConnections {
  private readonly opened: Redis[] = [];
  private shared: Partial<Record<'client' | 'subscriber', Redis>> = {};

  create(url: string, type: 'client' | 'subscriber' | 'bclient'): Redis {
    if (type !== 'bclient' && this.shared[type]) return this.shared[type]!;
    // Commands issued in the same tick go out in one write (Bull sends several per job); not for the
    // blocking client, whose one command waits.
    const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: false, enableAutoPipelining: type === 'client' });
    redis.on('error', () => undefined); // reconnects on its own; queues report errors
    this.opened.push(redis);
    if (type !== 'bclient') {
      // Every queue adds its own listeners to the shared clients: past Node's 10 per event, that is
      // the design here, not a leak (the warning would end up on a start's one line of stderr).
      redis.setMaxListeners(4 * JOB_NAMES.length);
      this.shared[type] = redis;
    }
    return redis;
  }

  async closeAll(): Promise<void> {
    const all = this.opened.splice(0);
    this.shared = {};
    await Promise.all(all.map((r) => r.quit().catch(() => r.disconnect())));
  }
}
