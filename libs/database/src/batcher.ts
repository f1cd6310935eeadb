export interface BatcherOptions {
  /** Items in one batch at most. */
  readonly maxSize: number;
  /** Batches running at once at most; items arriving meanwhile wait and go together. */
  readonly maxConcurrent: number;
}

/** A result that fails its own item only: `run` returns it for an item it could not do, the others going on. */
export class BatchItemFailure {
  constructor(readonly error: unknown) {}
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Groups calls that arrive close together into one call of `run` with many
 * items, the way a database groups commits: the first item goes at once, and
 * whatever arrives while `maxConcurrent` batches are running waits for the next
 * one. An idle caller pays no delay; a busy one pays one transaction per batch
 * instead of one per item.
 *
 * `run` returns one result per item, in order (a BatchItemFailure rejects its
 * item alone). When a batch of several fails as a whole, each of its items is
 * run again alone, so one bad item fails only itself.
 */
export class Batcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private running = 0;
  private scheduled = false;
  private idlers: Array<() => void> = [];

  constructor(
    private readonly run: (items: readonly I[]) => Promise<ReadonlyArray<O | BatchItemFailure>>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // Items submitted in the same turn of the event loop leave together.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once no item is waiting or running (at once when idle). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private isIdle(): boolean {
    return this.running === 0 && this.waiting.length === 0 && !this.scheduled;
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxSize);
      this.running++;
      void this.execute(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
    if (this.isIdle()) this.idlers.splice(0).forEach((resolve) => resolve());
  }

  private async execute(batch: Array<Waiting<I, O>>): Promise<void> {
    let results: ReadonlyArray<O | BatchItemFailure>;
    try {
      results = await this.run(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) {
        try {
          const [result] = await this.run([w.item]);
          settle(w, result!);
        } catch (alone) {
          w.reject(alone);
        }
      }
      return;
    }
    if (results.length !== batch.length) {
      const mismatch = new Error(`a batch of ${batch.length} items returned ${results.length} results`);
      return batch.forEach((w) => w.reject(mismatch));
    }
    batch.forEach((w, i) => settle(w, results[i]!));
  }
}

function settle<I, O>(waiting: Waiting<I, O>, result: O | BatchItemFailure): void {
  if (result instanceof BatchItemFailure) waiting.reject(result.error);
  else waiting.resolve(result);
}
