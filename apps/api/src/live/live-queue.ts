/** What a subscription does when its client reads too slowly: it is dropped, never buffered without end. */
export class SlowSubscriberError extends Error {
  constructor(limit: number) {
    super(`More than ${limit} updates waited for this client: it reads too slowly and was disconnected`);
    this.name = 'SlowSubscriberError';
  }
}

/**
 * The events of one subscription on their way to its client: an async
 * iterator holding at most `limit` of them. When it is full the subscription
 * ends with SlowSubscriberError (onOverflow closes the connection).
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failure: Error | undefined;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly onEnd: () => void,
    private readonly onOverflow: () => void,
    /** Runs as each item is handed on (a new set of loaders for the execution that follows). */
    private readonly beforeEach: () => void = () => undefined,
  ) {}

  push(item: T): void {
    if (this.done || this.failure) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.beforeEach();
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit) {
      this.failure = new SlowSubscriberError(this.limit);
      this.items.length = 0;
      this.onOverflow();
      return;
    }
    this.items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) {
      this.beforeEach();
      return Promise.resolve({ value: this.items.shift()!, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.items.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onEnd();
  }
}
