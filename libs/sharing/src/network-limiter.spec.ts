import { PublishError } from '@sharepool/channels';
import { loadConfig } from '@sharepool/config';
import { createRedis } from '@sharepool/redis';
import { deleteRedisKeys, randomSuffix, TEST_REDIS_URL } from '@sharepool/testing';
import { NetworkLimiter } from './network-limiter.js';

describe('the network limiter shared by worker processes', () => {
  const prefix = `sptest:limiter:${randomSuffix(4)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/tmp',
    QUEUE_PREFIX: prefix,
    NETWORK_CONCURRENCY: 'MASTODON=2',
    JWT_SECRET: 'j'.repeat(32),
  });
  const clients = [createRedis(TEST_REDIS_URL, prefix), createRedis(TEST_REDIS_URL, prefix)];
  // Two limiters on one Redis: two worker processes.
  const limiters = clients.map((redis) => new NetworkLimiter(redis, config));
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.onApplicationShutdown()));
    await Promise.all(clients.map((c) => c.quit()));
    await deleteRedisKeys(prefix);
  });

  it('holds a network to its limit across processes, and lets every call through in the end', async () => {
    expect(limiters[0]!.limit('MASTODON')).toBe(2);
    let inFlight = 0;
    let most = 0;
    const call = async (i: number) =>
      limiters[i % 2]!.run('MASTODON', async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return i;
      });
    const done = await Promise.all(Array.from({ length: 12 }, (_, i) => call(i)));
    expect(done).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(most).toBe(2);
  });

  it('keeps networks apart', async () => {
    const release: Array<() => void> = [];
    const holding = Promise.all([0, 1].map(() => limiters[0]!.run('MASTODON', () => new Promise<void>((r) => release.push(r)))));
    while (release.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    // MASTODON is full; X is not.
    expect(await limiters[1]!.run('X', async () => 'went')).toBe('went');
    release.forEach((r) => r());
    await holding;
  });

  it('fails a call as TRANSIENT, without making it, when Redis cannot be reached', async () => {
    const down = createRedis('redis://127.0.0.1:1', prefix);
    down.on('error', () => undefined);
    const limiter = new NetworkLimiter(down, config);
    let made = false;
    const attempt = limiter.run('X', async () => void (made = true));
    await expect(attempt).rejects.toBeInstanceOf(PublishError);
    await expect(attempt).rejects.toMatchObject({ kind: 'TRANSIENT' });
    expect(made).toBe(false);
    await limiter.onApplicationShutdown();
    down.disconnect();
  });
});
