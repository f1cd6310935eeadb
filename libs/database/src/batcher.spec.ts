import { BatchItemFailure, Batcher } from './batcher.js';

/** A run function that records each batch and answers after `release()`. */
function recorder(answer: (item: number) => number = (item) => item * 10) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map(answer);
  };
  const release = () => gates.splice(0).forEach((open) => open());
  return { batches, run, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('sends an item submitted alone at once, in a batch of one', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxSize: 10, maxConcurrent: 1 });
    const result = batcher.submit(1);
    await tick();
    expect(r.batches).toEqual([[1]]);
    r.release();
    expect(await result).toBe(10);
  });

  it('groups the items that arrive while a batch runs, and answers each its own result', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxSize: 10, maxConcurrent: 1 });
    const first = batcher.submit(1);
    await tick();
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    await tick();
    expect(r.batches).toEqual([[1]]);
    r.release();
    expect(await first).toBe(10);
    await tick();
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
    r.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('says when it is idle: nothing waiting and no batch running', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxSize: 1, maxConcurrent: 1 });
    await batcher.idle();
    const results = [1, 2].map((n) => batcher.submit(n));
    let idle = false;
    const becameIdle = batcher.idle().then(() => (idle = true));
    await tick();
    r.release();
    await results[0];
    await tick();
    expect(idle).toBe(false);
    r.release();
    await Promise.all([...results, becameIdle]);
    expect(idle).toBe(true);
  });

  it('keeps batches within maxSize and runs at most maxConcurrent at once', async () => {
    const r = recorder();
    const batcher = new Batcher(r.run, { maxSize: 2, maxConcurrent: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await tick();
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    r.release();
    await tick();
    await tick();
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
    r.release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it('runs the items of a failed batch again one by one, so only the bad item fails', async () => {
    const seen: number[][] = [];
    const batcher = new Batcher(
      async (items: readonly number[]) => {
        seen.push([...items]);
        if (items.includes(13)) throw new Error('13 is refused');
        return items.map((n) => n + 1);
      },
      { maxSize: 10, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([12, 13, 14].map((n) => batcher.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 13 },
      { status: 'rejected', reason: new Error('13 is refused') },
      { status: 'fulfilled', value: 15 },
    ]);
    expect(seen).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('rejects only the item whose result is a BatchItemFailure, without running the batch again', async () => {
    let calls = 0;
    const batcher = new Batcher(
      async (items: readonly number[]) => {
        calls++;
        return items.map((n) => (n === 2 ? new BatchItemFailure(new Error('2 could not be done')) : n * 2));
      },
      { maxSize: 10, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('2 could not be done') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(calls).toBe(1);
  });

  it('fails every item, without running them again, when a batch answers the wrong number of results', async () => {
    let calls = 0;
    const batcher = new Batcher(
      async () => {
        calls++;
        return [1];
      },
      { maxSize: 10, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
  });
});
