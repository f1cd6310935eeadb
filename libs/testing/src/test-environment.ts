import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { type AppConfig, loadConfig } from '@sharepool/config';
import { formatLedgerVerification, type LedgerVerification, verifyLedger } from '@sharepool/ledger';
import { CoreModule } from '@sharepool/runtime';
import { deleteRedisKeys } from './redis-keys.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { RUN_PREFIX_ENV, randomSuffix, TEST_REDIS_URL } from './test-services.js';

/** Fixed secrets, so tests can sign and check tokens themselves. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-test-jwt-secret-0123456789',
  ENCRYPTION_KEY: `1:${Buffer.alloc(32, 7).toString('base64')}`,
  API_KEY_PEPPER: 'test-api-key-pepper-test-api-key-pepper-01',
  ADMIN_EMAIL: 'admin@sharepool.test',
  ADMIN_PASSWORD: 'correct horse battery staple 42',
} as const;

/**
 * Trust levels for tests that are not about them: NEW members act with the
 * limits Sharepool had before levels existed (25 shares and 100 posts a day,
 * any credits per share, every post reviewed). A test of trust levels passes
 * `TRUST_RULES: ''` for the real table.
 */
export const TEST_TRUST_RULES = JSON.stringify({
  levels: { NEW: { privileges: { sharesPerDay: 25, postsPerDay: 100, maxCreditsPerShare: 100 } } },
});

export interface TestEnvironment {
  readonly config: AppConfig;
  readonly db: TestDatabase;
  readonly redisPrefix: string;
  cleanup(): Promise<void>;
}

/** A database, a Redis key prefix and a data dir of one test file's own, and the config using them. */
export async function createTestEnvironment(env: Record<string, string> = {}): Promise<TestEnvironment> {
  const db = await createTestDatabase();
  const redisPrefix = `${process.env[RUN_PREFIX_ENV] ?? 'sptest:adhoc'}:${randomSuffix(3)}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: redisPrefix,
    OUTBOUND_ALLOW_PRIVATE: 'true',
    // Every test file registers its members from 127.0.0.1; the limit has tests of its own.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1000000',
    // Short links are built on it; production requires it.
    PUBLIC_URL: 'https://sharepool.test',
    TRUST_RULES: TEST_TRUST_RULES,
    ...TEST_SECRETS,
    ...env,
  });
  return {
    config,
    db,
    redisPrefix,
    async cleanup() {
      // Every test file ends with its ledger checked: one left inconsistent fails the suite.
      let ledger: LedgerVerification;
      try {
        ledger = await verifyTestLedger(db.url);
      } finally {
        await db.drop();
        await deleteRedisKeys(redisPrefix);
        rmSync(dataDir, { recursive: true, force: true });
      }
      if (!ledger.ok) throw new Error(`The test left the ledger inconsistent:\n${formatLedgerVerification(ledger)}`);
    },
  };
}

async function verifyTestLedger(url: string): Promise<LedgerVerification> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await verifyLedger(client);
  } finally {
    await client.end();
  }
}

export interface TestCore {
  readonly env: TestEnvironment;
  readonly context: INestApplicationContext;
  get<T>(type: abstract new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/** The core (domains, database, queue) without HTTP, for testing libraries through their services. */
export async function startTestCore(env: Record<string, string> = {}): Promise<TestCore> {
  const environment = await createTestEnvironment(env);
  const context = await NestFactory.createApplicationContext(CoreModule.forRoot(environment.config), { logger: false });
  await context.init();
  return {
    env: environment,
    context,
    get: (type) => context.get(type as never),
    async close() {
      await context.close();
      await environment.cleanup();
    },
  };
}
