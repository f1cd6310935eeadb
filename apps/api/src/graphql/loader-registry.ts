import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created on first use by key. A list of N items
 * resolving a field makes one batched query, not N.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  private readonly primed = new Map<string, Map<unknown, unknown>>();

  get<K, V>(
    key: string,
    batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
    options?: DataLoader.Options<K, V, K>,
  ): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500, ...options });
      for (const [id, row] of this.primed.get(key) ?? []) loader.prime(id as K, row as V);
      this.primed.delete(key);
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** Loads by id through the loader `key`; rows are matched back to ids by `idOf`. */
  byId<V>(key: string, fetch: (ids: readonly string[]) => Promise<readonly V[]>, idOf: (row: V) => string): DataLoader<string, V | null> {
    return this.get<string, V | null>(key, async (ids) => {
      const rows = await fetch(ids);
      const byId = new Map(rows.map((row) => [idOf(row), row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Seeds a loader with a row already fetched, so a later load costs no query. */
  prime<V>(key: string, id: string, row: V): void {
    const loader = this.loaders.get(key) as DataLoader<string, V> | undefined;
    if (loader) loader.prime(id, row);
    else this.primed.set(key, (this.primed.get(key) ?? new Map()).set(id, row));
  }
}
