import { LiveQueue, SlowSubscriberError } from './live-queue.js';

describe('the queue of one subscription', () => {
  it('hands updates on in order, to a reader waiting or coming later', async () => {
    const queue = new LiveQueue<number>(
      10,
      () => undefined,
      () => undefined,
    );
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 3, done: false });
  });

  it('drops a client that lets more than its limit of updates wait, instead of buffering without end', async () => {
    let overflowed = 0;
    const queue = new LiveQueue<number>(
      3,
      () => undefined,
      () => overflowed++,
    );
    for (let i = 0; i < 4; i++) queue.push(i);
    expect(overflowed).toBe(1);
    await expect(queue.next()).rejects.toBeInstanceOf(SlowSubscriberError);
    queue.push(5);
    expect(overflowed).toBe(1);
  });

  it('ends once, telling its hub, when the client stops the subscription', async () => {
    let ended = 0;
    const queue = new LiveQueue<number>(
      3,
      () => ended++,
      () => undefined,
    );
    const waiting = queue.next();
    await queue.return();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    queue.push(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('runs its hook before each update is handed on (fresh loaders per update)', async () => {
    let fresh = 0;
    const queue = new LiveQueue<number>(
      3,
      () => undefined,
      () => undefined,
      () => fresh++,
    );
    queue.push(1);
    const waiting = queue.next();
    await waiting;
    const next = queue.next();
    queue.push(2);
    await next;
    expect(fresh).toBe(2);
  });
});
