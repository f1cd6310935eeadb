import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { pgConnectionSettings } from './data-source-options.js';

/**
 * What the database announces on `sharepool_live` (see the notifications
 * migration), ids only: who may see what is decided by whoever sends it on.
 */
export type LiveEvent =
  | { readonly type: 'share'; readonly shareId: string; readonly sharerId: string; readonly authorId: string }
  | { readonly type: 'notification'; readonly memberId: string; readonly notificationId: string }
  | { readonly type: 'queue'; readonly postId: string };

const CHANNEL = 'sharepool_live';
const RECONNECT_DELAY_MS = 1_000;

/** A live event from its payload, or null for one this code does not know. */
export function parseLiveEvent(payload: string): LiveEvent | null {
  const [type, a, b, c] = payload.split(':');
  if (type === 'share' && a && b && c) return { type, shareId: a, sharerId: b, authorId: c };
  if (type === 'notification' && a && b) return { type, memberId: a, notificationId: b };
  if (type === 'queue' && a) return { type, postId: a };
  return null;
}

/**
 * Hears the database's live events (shares made or changing status, new
 * notifications, the review queue), committed by any process, on one
 * connection of its own, which it opens on the first listener and reopens
 * when lost. Events committed while it was down are not replayed: a listener
 * is told (`onReconnect`) so it can catch up by reading.
 */
@Injectable()
export class LiveEvents implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveEvents');
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly reconnected = new Set<() => void>();
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private everConnected = false;
  private listening = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `listener` with every live event from now on; returns the function that stops it. */
  listen(listener: (event: LiveEvent) => void, onReconnect?: () => void): () => void {
    this.listeners.add(listener);
    if (onReconnect) this.reconnected.add(onReconnect);
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (onReconnect) this.reconnected.delete(onReconnect);
    };
  }

  /** Resolves once the connection listens (for tests and start-up). */
  async ready(): Promise<void> {
    this.connect();
    while (!this.closed && !this.listening) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): void {
    if (this.client || this.closed || this.timer) return;
    const settings = pgConnectionSettings(this.dataSource.options);
    const client = new pg.Client({ ...settings, application_name: `${settings.application_name ?? 'sharepool'}-live`, keepAlive: true });
    this.client = client;
    client.on('notification', (message) => {
      const event = parseLiveEvent(message.payload ?? '');
      if (!event) return;
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger.error(`a live event listener failed: ${(error as Error).message}`, (error as Error).stack);
        }
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (this.client !== client) return;
        this.listening = true;
        if (this.everConnected) for (const callback of this.reconnected) callback();
        this.everConnected = true;
      })
      .catch((error: Error) => this.lost(client, error));
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn(`stopped hearing live events${error ? `: ${error.message}` : ''}; listening again in ${RECONNECT_DELAY_MS} ms`);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.listeners.size) this.connect();
    }, RECONNECT_DELAY_MS);
    this.timer.unref();
  }
}
