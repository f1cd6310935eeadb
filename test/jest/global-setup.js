// Plain JavaScript: Jest loads global setup outside its module system.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Once per test run: the name of the run's template database (created empty
 * here, migrated by the first test file that needs it) and a Redis key prefix
 * of the run's own. Test files clone the template into a database each.
 */
export default async function globalSetup() {
  const template = `sharepool_test_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${template}`);
  } finally {
    await client.end();
  }
  process.env.SHAREPOOL_TEST_TEMPLATE = template;
  process.env.SHAREPOOL_TEST_RUN = `sptest:${randomBytes(5).toString('hex')}`;
}
