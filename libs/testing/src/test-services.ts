import { randomBytes } from 'node:crypto';

/** The Postgres server tests create their databases on (CI and dev machines: the local one). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Name of the migrated template database of this test run (set by the Jest global setup). */
export const TEMPLATE_ENV = 'SHAREPOOL_TEST_TEMPLATE';
/** Redis key prefix of this test run (set by the Jest global setup). */
export const RUN_PREFIX_ENV = 'SHAREPOOL_TEST_RUN';

export function randomSuffix(bytes = 5): string {
  return randomBytes(bytes).toString('hex');
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
