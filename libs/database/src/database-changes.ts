import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { pgConnectionSettings } from './data-source-options.js';

/** What the database announces changes of (see the change-notifications migration). */
export type ChangeTopic = 'member' | 'feed';

const CHANNEL = 'sharepool_changes';
/** Keys remembered before starting over (every stamp then changes). */
const MAX_KEYS = 100_000;
const RECONNECT_DELAY_MS = 1_000;
/** How long caughtUp() waits for its own notification before giving up on it. */
const CATCH_UP_TIMEOUT_MS = 2_000;
/** The payload prefix of caughtUp()'s own notifications (not a topic). */
const ECHO = 'echo:';

/**
 * Listens to the database's change notifications, so that a process can keep
 * things in memory and still see a change made anywhere (another API process,
 * a worker, an admin's SQL) as soon as it commits.
 *
 * A cache asks for a stamp when it computes a value and keeps the value only
 * while the stamp stays the same. There is no stamp (null) while the listening
 * connection is not up, and every stamp changes when it comes back: a change
 * that went unheard can never leave a stale value being served.
 *
 * Notifications arrive a moment after their commit; caughtUp() waits for that
 * moment, so that a request that changed something can answer knowing that
 * this process's caches have seen its change.
 */
@Injectable()
export class DatabaseChanges implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseChanges');
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private retryAt = 0;
  /** Bumped on every (re)connection and when the keys start over. */
  private epoch = 0;
  private sequence = 0;
  private readonly whole = new Map<ChangeTopic, number>();
  private readonly keys = new Map<string, number>();
  private readonly echoes = new Map<string, () => void>();
  private readonly watchers = new Set<(topic: ChangeTopic, key: string) => void>();
  /** The echo now on its way, and the one callers arriving now will share. */
  private echoing: Promise<void> = Promise.resolve();
  private nextEcho: Promise<void> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** Where `key` of `topic` stands now; null while changes cannot be heard (keep nothing then). */
  stamp(topic: ChangeTopic, key: string): string | null {
    if (!this.listening) {
      this.listen();
      return null;
    }
    return `${this.epoch}.${this.whole.get(topic) ?? 0}.${this.keys.get(`${topic}:${key}`) ?? 0}`;
  }

  /**
   * Resolves once every change committed before the call has been heard. The
   * database delivers notifications in commit order, so hearing one sent now
   * means every earlier one is in. Resolves at once while not listening (no
   * stamps then: nothing is kept), and after CATCH_UP_TIMEOUT_MS at the latest
   * (the connection is then treated as lost: stamps change and caches start over).
   * Calls that arrive while an echo is on its way share the next one.
   */
  caughtUp(): Promise<void> {
    const client = this.client;
    if (!this.listening || !client) return Promise.resolve();
    this.nextEcho ??= this.echo(client, this.echoing);
    return this.nextEcho;
  }

  /** Sends one echo once `previous` is done (one query at a time on the listening connection) and waits to hear it. */
  private echo(client: pg.Client, previous: Promise<void>): Promise<void> {
    const done = previous.then(async () => {
      // Callers from now on need an echo sent after theirs.
      this.nextEcho = undefined;
      if (this.client !== client) return;
      const token = randomUUID();
      let timer: NodeJS.Timeout | undefined;
      const heard = new Promise<void>((resolve) => {
        this.echoes.set(token, resolve);
        timer = setTimeout(() => {
          this.lost(client, new Error(`no echo within ${CATCH_UP_TIMEOUT_MS} ms`));
          resolve();
        }, CATCH_UP_TIMEOUT_MS);
      });
      try {
        await client.query(`SELECT pg_notify('${CHANNEL}', $1)`, [`${ECHO}${token}`]);
        await heard;
      } catch (error) {
        this.lost(client, error as Error);
      } finally {
        clearTimeout(timer);
        this.echoes.delete(token);
      }
    });
    this.echoing = done;
    return done;
  }

  /**
   * Calls `watcher` with each change heard from now on (`*` as the key when the
   * connection came back and anything may have changed); returns the function that stops it.
   */
  watch(watcher: (topic: ChangeTopic, key: string) => void): () => void {
    this.watchers.add(watcher);
    this.listen();
    return () => this.watchers.delete(watcher);
  }

  private changed(topic: ChangeTopic, key: string): void {
    this.sequence++;
    if (key === '*') {
      this.whole.set(topic, this.sequence);
    } else {
      if (this.keys.size >= MAX_KEYS) {
        this.keys.clear();
        this.epoch++;
      }
      this.keys.set(`${topic}:${key}`, this.sequence);
    }
    // After the stamps moved: a watcher that reads through a cache gets the new value.
    for (const watcher of this.watchers) watcher(topic, key);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.releaseEchoes();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private listen(): void {
    if (this.client || this.closed || Date.now() < this.retryAt) return;
    const settings = pgConnectionSettings(this.dataSource.options);
    const client = new pg.Client({
      ...settings,
      application_name: `${settings.application_name ?? 'sharepool'}-changes`,
      // A silent network loss is noticed too, not only a closed connection.
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      // An echo's waiter is removed by echo() itself.
      if (payload.startsWith(ECHO)) return this.echoes.get(payload.slice(ECHO.length))?.();
      const colon = payload.indexOf(':');
      if (colon > 0) this.changed(payload.slice(0, colon) as ChangeTopic, payload.slice(colon + 1));
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (this.client !== client) return;
        this.epoch++;
        this.listening = true;
        // Whatever changed while nobody listened went unheard.
        for (const watcher of this.watchers) watcher('member', '*');
      })
      .catch((error: Error) => this.lost(client, error));
  }

  private releaseEchoes(): void {
    for (const resolve of this.echoes.values()) resolve();
    this.echoes.clear();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.epoch++;
    this.retryAt = Date.now() + RECONNECT_DELAY_MS;
    // Whoever waits for an echo goes on: every stamp has just changed.
    this.releaseEchoes();
    if (!this.closed)
      this.logger.warn(`stopped hearing database changes${error ? `: ${error.message}` : ''}; caches are bypassed until it is back`);
    client.end().catch(() => undefined);
    // Requests reconnect on their own (stamp()); watchers may be waiting without any request coming.
    if (this.watchers.size && !this.closed) setTimeout(() => this.listen(), RECONNECT_DELAY_MS + 10).unref();
  }
}

/**
 * Values kept while the stamp they were computed under (DatabaseChanges.stamp)
 * still holds, and for `ttlMs` at most; past `maxEntries` the oldest go first.
 * Nothing is kept under a null stamp.
 */
export class StampedCache<V> {
  private readonly entries = new Map<string, { value: V; stamp: string; expiresAt: number }>();

  constructor(private readonly options: { readonly maxEntries: number; readonly ttlMs: number }) {}

  get(key: string, stamp: string | null): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.stamp === stamp && entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, stamp: string | null): void {
    if (stamp === null || this.options.ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, stamp, expiresAt: Date.now() + this.options.ttlMs });
  }
}
