/**
 * `npm run bench:feed`: shareFeed(first: 20) requests per second against
 * `{ __typename }` requests per second on the same server in the same run, and
 * the feed's p95 with 10,000 and with 1,000,000 approved posts.
 * Last line: `feed: <x> req/s, ping: <y> req/s, ratio <x/y>, p95 10k <a> ms, 1M <b> ms`.
 *
 * Two servers over the same database: one as served (answers kept for
 * FEED_CACHE_SECONDS, so one member reloading the feed is mostly served from
 * memory), and one with the cache off, where every request builds the feed:
 * that line shows what a first load costs and how the query scales.
 *
 * Posts are seeded with set-based SQL (their escrows funded directly, not through
 * transfers): this database measures reads and is dropped afterwards.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { AuthService } from '@sharepool/auth';
import { loadConfig } from '@sharepool/config';
import { ANONYMOUS } from '@sharepool/kernel';
import { createLogger } from '@sharepool/observability';
import { createMigratedDatabase, deleteRedisKeys, randomSuffix, sqlPool, TEST_REDIS_URL, TEST_SECRETS } from '@sharepool/testing';
import { graphqlLoad, type LoadResult, round } from './support/load.js';

const NICHES = 20;
const VIEWER_NICHES = 3;
const AUTHORS = 2_000;
const PEERS = 50;
const CONCURRENCY = 8;
const SECONDS = 10;

const FEED = `query Feed { shareFeed(first: 20) {
  edges { cursor node { id title summary imageUrl creditsPerShare budgetRemaining viewerHasShared author { handle displayName } niche { name } } }
  pageInfo { endCursor hasNextPage } } }`;

async function main(): Promise<void> {
  const db = await createMigratedDatabase('sharepool_bench');
  const prefix = `sharepool-bench:${randomSuffix(3)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: `/tmp/sharepool-bench-${randomSuffix(3)}`,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ...TEST_SECRETS,
  });
  const sql = sqlPool(db.url, 2);
  const app = await createApiApp(config, createLogger('error', 'bench'));
  const uncachedApp = await createApiApp({ ...config, feedCacheSeconds: 0 }, createLogger('error', 'bench'));
  const url = await listen(app);
  const uncachedUrl = await listen(uncachedApp);
  try {
    const viewer = await app.get(AuthService).register(
      ANONYMOUS,
      {
        email: 'viewer@bench.test',
        password: 'bench passphrase 1234',
        handle: 'bench_viewer',
        displayName: 'Viewer',
      },
      'bench',
    );
    await seedPeople(sql, viewer.member.id);
    await seedPosts(sql, 10_000);
    const load = (target: string, query: string, token?: string) =>
      graphqlLoad(target, query, { concurrency: CONCURRENCY, seconds: SECONDS, token });
    const ping = await load(url, '{ __typename }');
    const feed10k = await load(url, FEED, viewer.accessToken);
    const built10k = await load(uncachedUrl, FEED, viewer.accessToken);
    await seedPosts(sql, 990_000);
    await sql.query('ANALYZE');
    const feed1m = await load(url, FEED, viewer.accessToken);
    const built1m = await load(uncachedUrl, FEED, viewer.accessToken);
    const failed = [ping, feed10k, built10k, feed1m, built1m].reduce((n, r) => n + r.errors, 0);
    if (failed > 0) throw new Error(`requests failed: ${failed}`);
    const line = (label: string, at10k: LoadResult, at1m: LoadResult) =>
      `${label}: ${round(at10k.rps)} req/s at 10k posts (p50 ${round(at10k.p50)} ms, p95 ${round(at10k.p95)} ms), ` +
      `${round(at1m.rps)} req/s at 1M (p50 ${round(at1m.p50)} ms, p95 ${round(at1m.p95)} ms), ratio to ping ${round(at10k.rps / ping.rps, 2)}\n`;
    process.stdout.write(`ping: ${round(ping.rps)} req/s\n`);
    process.stdout.write(line('feed built every time (FEED_CACHE_SECONDS=0)', built10k, built1m));
    process.stdout.write(line(`feed as served (FEED_CACHE_SECONDS=${config.feedCacheSeconds})`, feed10k, feed1m));
    process.stdout.write(
      `feed: ${round(feed10k.rps)} req/s, ping: ${round(ping.rps)} req/s, ratio ${round(feed10k.rps / ping.rps, 2)}, p95 10k ${round(feed10k.p95)} ms, 1M ${round(feed1m.p95)} ms\n`,
    );
  } finally {
    await app.close();
    await uncachedApp.close();
    await sql.end();
    // `--keep` leaves the seeded database for EXPLAIN ANALYZE.
    if (process.argv.includes('--keep')) process.stdout.write(`kept ${db.url}\n`);
    else await db.drop();
    await deleteRedisKeys(prefix);
  }
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
}

/** Niches, authors, the viewer's niches and a reciprocity history with some authors. */
async function seedPeople(sql: pg.Pool, viewerId: string): Promise<void> {
  await sql.query(`INSERT INTO niches (slug, name) SELECT 'niche-' || n, 'Niche ' || n FROM generate_series(1, ${NICHES}) n`);
  await sql.query(`INSERT INTO member_niches (member_id, niche_id) SELECT $1, id FROM niches ORDER BY slug LIMIT ${VIEWER_NICHES}`, [
    viewerId,
  ]);
  await sql.query(
    `INSERT INTO members (email, handle, display_name, password_hash)
     SELECT 'author' || n || '@bench.test', 'author_' || n, 'Author ' || n, 'not-a-login' FROM generate_series(1, ${AUTHORS}) n`,
  );
  await sql.query(
    `INSERT INTO reciprocity (sharer_id, author_id, shares, last_shared_at)
     SELECT id, $1, (random() * 10)::int, now() FROM members WHERE handle LIKE 'author_%' ORDER BY handle LIMIT ${PEERS}`,
    [viewerId],
  );
}

/** `count` more approved posts, spread over the niches and authors, each with an escrow that covers shares. */
async function seedPosts(sql: pg.Pool, count: number): Promise<void> {
  const batch = 100_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await sql.query(
      `WITH authors AS (SELECT array_agg(id) AS ids FROM members WHERE handle LIKE 'author_%'),
            niche_ids AS (SELECT array_agg(id) AS ids FROM niches),
            fresh AS (
              INSERT INTO posts (id, author_id, niche_id, url, title, credits_per_share, status, created_at)
              SELECT gen_random_uuid(), a.ids[1 + (random() * (cardinality(a.ids) - 1))::int], ni.ids[1 + (random() * (cardinality(ni.ids) - 1))::int],
                     'https://bench.example.com/' || gen_random_uuid(), 'Bench post', 1 + (random() * 99)::int, 'APPROVED',
                     now() - random() * interval '90 days'
                FROM generate_series(1, ${n}), authors a, niche_ids ni
              RETURNING id, author_id)
       INSERT INTO ledger_accounts (id, kind, owner_id, posted) SELECT id, 'ESCROW', author_id, 1000 FROM fresh`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
