import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import supertest from 'supertest';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import type { AppConfig } from '@sharepool/config';
import type { Clock } from '@sharepool/kernel';
import { createLogger } from '@sharepool/observability';
import { freePort } from '@sharepool/runtime';
import { createTestEnvironment, sqlPool, type TestEnvironment } from '@sharepool/testing';

export interface GraphqlResult<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: string[]; extensions: Record<string, any> }> | undefined;
  extensions: Record<string, any> | undefined;
}

export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly env: TestEnvironment;
  /** A pg pool on the test database, for arranging and asserting state. */
  readonly sql: pg.Pool;
  readonly url: string;
  readonly http: ReturnType<typeof supertest>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphqlResult<T>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Run the job processors too. */
  readonly worker?: boolean;
  /** Extra environment, as in production (strings). */
  readonly env?: Record<string, string>;
  /** Where the app's log lines go (pino's JSON lines), instead of nowhere. */
  readonly logTo?: { write(line: string): void };
  /** Serve this folder as the built web client instead of apps/web/dist. */
  readonly webDir?: string;
  /** A clock the test moves (days passing for relationships and trust levels); the system's otherwise. */
  readonly clock?: Clock;
}

/**
 * Runs the whole API (and optionally the worker) on a database and Redis prefix of its own,
 * on a port chosen first so PUBLIC_URL (where the networks send members back) is its own address.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = await createTestEnvironment({ PUBLIC_URL: url, ...options.env });
  const logger = createLogger(env.config.logLevel, 'sharepool-test', options.logTo);
  const app = await createApiApp(env.config, logger, { withWorker: options.worker ?? false, webDir: options.webDir, clock: options.clock });
  await app.listen(port, '127.0.0.1');
  const http = supertest(url);
  const sql = sqlPool(env.db.url, 4);

  return {
    app,
    config: env.config,
    env,
    sql,
    url,
    http,
    async gql(query, variables, opts = {}) {
      const request = http.post('/graphql').set('content-type', 'application/json');
      if (opts.token) request.set('authorization', `Bearer ${opts.token}`);
      for (const [k, v] of Object.entries(opts.headers ?? {})) request.set(k, v);
      const res = await request.send({ query, variables });
      return { status: res.status, data: res.body?.data, errors: res.body?.errors, extensions: res.body?.extensions };
    },
    async close() {
      await app.close();
      await sql.end();
      await env.cleanup();
    },
  };
}
