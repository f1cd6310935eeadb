// Plain JavaScript: Jest loads global teardown outside its module system.
import { Redis } from 'ioredis';
import pg from 'pg';

const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Drops the run's template database and every Redis key the run left behind. */
export default async function globalTeardown() {
  const template = process.env.SHAREPOOL_TEST_TEMPLATE;
  if (template) {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const prefix = process.env.SHAREPOOL_TEST_RUN;
  if (prefix) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
