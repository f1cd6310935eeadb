import pg from 'pg';
import { MIGRATIONS } from '@sharepool/migrations';
import { runMigrations } from '@sharepool/database';
import { databaseUrl, randomSuffix, TEMPLATE_ENV, TEST_POSTGRES_URL } from './test-services.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database with every migration applied; `drop()` removes it. */
export async function createMigratedDatabase(prefix = 'sharepool_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomSuffix()}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  try {
    await runMigrations(databaseUrl(name));
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/**
 * A database of its own for one test file, cloned from the run's template.
 * The first file to ask migrates the template (under a lock, so that parallel
 * workers wait for it instead of racing).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) return createMigratedDatabase();
  const name = `${template}_${randomSuffix(4)}`;
  await admin(async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      if (!(await isFullyMigrated(template))) await runMigrations(databaseUrl(template));
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

async function isFullyMigrated(database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
    if (!rows[0].present) return false;
    const count = await client.query('SELECT count(*)::int AS n FROM schema_migrations');
    return count.rows[0].n === MIGRATIONS.length;
  } finally {
    await client.end();
  }
}

/**
 * A pool for a test's own SQL. pg's Pool.end() resolves before its sockets have
 * closed, so dropping the database right after (WITH FORCE) can end a closing
 * connection with 57P01; that is teardown, not a failure. Any other error of an
 * idle connection is reported.
 */
export function sqlPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== ADMIN_SHUTDOWN) console.error(`an idle test connection failed: ${error.message}`);
  });
  return pool;
}

const ADMIN_SHUTDOWN = '57P01';

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
