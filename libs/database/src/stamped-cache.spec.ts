import { StampedCache } from './database-changes.js';

describe('a cache of values stamped by database changes', () => {
  it('serves a value while its stamp holds, and drops it once the stamp moves on', () => {
    const cache = new StampedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    cache.set('alice', 'profile', '1.0.0');
    expect(cache.get('alice', '1.0.0')).toBe('profile');
    expect(cache.get('alice', '1.0.1')).toBeUndefined();
    // Dropped, not only hidden: the old stamp does not bring it back.
    expect(cache.get('alice', '1.0.0')).toBeUndefined();
  });

  it('keeps nothing while changes cannot be heard (no stamp)', () => {
    const cache = new StampedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    cache.set('alice', 'profile', null);
    expect(cache.get('alice', null)).toBeUndefined();
  });

  it('lets a value run out after its time, and keeps nothing with no time at all', async () => {
    const brief = new StampedCache<string>({ maxEntries: 10, ttlMs: 20 });
    brief.set('alice', 'profile', '1.0.0');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(brief.get('alice', '1.0.0')).toBeUndefined();

    const off = new StampedCache<string>({ maxEntries: 10, ttlMs: 0 });
    off.set('alice', 'profile', '1.0.0');
    expect(off.get('alice', '1.0.0')).toBeUndefined();
  });

  it('drops the oldest value when full', () => {
    const cache = new StampedCache<number>({ maxEntries: 2, ttlMs: 60_000 });
    cache.set('a', 1, 's');
    cache.set('b', 2, 's');
    cache.set('a', 3, 's'); // stored again: now the newest
    cache.set('c', 4, 's');
    expect([cache.get('a', 's'), cache.get('b', 's'), cache.get('c', 's')]).toEqual([3, undefined, 4]);
  });
});
