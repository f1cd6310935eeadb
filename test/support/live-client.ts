import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Everything one subscription received, and how it ended. */
export interface Subscribed<T = Record<string, any>> {
  readonly values: T[];
  readonly errors: unknown[];
  /** Resolves when `check` holds for the values received (polls, up to `timeoutMs`). */
  until(check: (values: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export interface LiveClient {
  readonly client: Client;
  /** The close event that ended the connection, once it ended. */
  readonly closed: Promise<{ code: number; reason: string }>;
  subscribe<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Subscribed<T>;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client of the API's subscriptions, as the web client or a
 * partner app opens one: the token goes in connection_init. It does not
 * reconnect (tests see each close).
 */
export function liveClient(baseUrl: string, token: string | null, options: { lazy?: boolean } = {}): LiveClient {
  let resolveClosed: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: options.lazy ?? false,
    retryAttempts: 0,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    on: { closed: (event) => resolveClosed(event as { code: number; reason: string }) },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>): Subscribed<T> {
      const values: T[] = [];
      const errors: unknown[] = [];
      const stop = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            if (result.errors) errors.push(...result.errors);
            if (result.data) values.push(result.data as T);
          },
          error: (error) => errors.push(error),
          complete: () => undefined,
        },
      );
      return {
        values,
        errors,
        async until(check, timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          while (!check(values)) {
            if (Date.now() > deadline) {
              throw new Error(`subscription did not get what was awaited in ${timeoutMs} ms: ${JSON.stringify({ values, errors })}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          return values;
        },
        stop,
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
