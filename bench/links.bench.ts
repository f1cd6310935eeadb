/**
 * `npm run bench:links`: GET /s/<code> requests per second against GET /health
 * requests per second on the same server in the same run, 64 concurrent
 * clients, 10,000 codes, every request a new visitor (so every one is a human
 * click that counts); then what a day of 1,000,000 clicks adds to Postgres.
 * Last line: `links: <x> req/s, health: <y> req/s, ratio <x/y>, p95 <a> ms` (two
 * alternating rounds of 5 s each; p95 of the worse round).
 *
 * Every code is looked up once before the clock starts, as a server that has
 * been serving the links has (a code is then answered from memory until a
 * post, pause or niche changes, or for a minute at most; the lookups of codes
 * not in memory are batched, four queries for any number of them).
 *
 * Shares are seeded with set-based SQL with foreign-key checks off
 * (session_replication_role = replica): this database measures the redirect
 * and the counters, and is dropped afterwards.
 *
 * The day is replayed through the real flush: 1,440 flushes (one a simulated
 * minute), each with its clicks spread at random over the 10,000 shares. A
 * click is one increment of its share's row of the day whichever flush carries
 * it, so the rows, the updates and the bloat they leave are those of a day of
 * flushes every second; the table is vacuumed every ten simulated minutes, as
 * autovacuum would over a real day.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { loadConfig } from '@sharepool/config';
import { CLICK_KEYS, ClickFlusher, newLinkCode, ShareLinksService } from '@sharepool/links';
import { createLogger } from '@sharepool/observability';
import { REDIS } from '@sharepool/redis';
import { createMigratedDatabase, deleteRedisKeys, randomSuffix, sqlPool, TEST_REDIS_URL, TEST_SECRETS } from '@sharepool/testing';
import { getLoad, type LoadResult, round } from './support/load.js';

const CODES = 10_000;
const CONCURRENCY = 64;
const SECONDS = 10;
const ROUNDS = 2;
const DAY_CLICKS = 1_000_000;
const DAY_FLUSHES = 1_440;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const db = await createMigratedDatabase('sharepool_bench');
  const prefix = `sharepool-bench:${randomSuffix(3)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: join(tmpdir(), `sharepool-bench-${randomSuffix(3)}`),
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PUBLIC_URL: 'https://sp.example',
    ...TEST_SECRETS,
  });
  const sql = sqlPool(db.url, 2);
  const app = await createApiApp(config, createLogger('error', 'bench'));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const paths = join(tmpdir(), `sharepool-bench-paths-${randomSuffix(3)}`);
  try {
    const { codes, shareIds } = await seed(sql);
    writeFileSync(paths, codes.map((code) => `/s/${code}`).join('\n'));
    writeFileSync(`${paths}.health`, '/health');
    // A server that has been serving these links knows them: look every code up once, as its first visits would.
    const shareLinks = app.get(ShareLinksService);
    await Promise.all(codes.map((code) => shareLinks.resolve(code)));

    // Alternating rounds, so a neighbour's load on the machine weighs on both sides alike.
    const rounds: Record<'health' | 'links', LoadResult[]> = { health: [], links: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const seconds = SECONDS / ROUNDS;
      rounds.health.push(await getLoad(base, `${paths}.health`, { concurrency: CONCURRENCY, seconds, expectedStatus: 200 }));
      rounds.links.push(
        await getLoad(base, paths, { concurrency: CONCURRENCY, seconds, expectedStatus: 302, firstVisitor: round * 4_000_000 }),
      );
    }
    const health = combined(rounds.health);
    const links = combined(rounds.links);
    if (health.errors + links.errors > 0) throw new Error(`requests failed: health ${health.errors}, links ${links.errors}`);

    // Every redirect was a new visitor: each must be in Postgres after a flush.
    const flusher = app.get(ClickFlusher);
    await flusher.flushNow();
    const counted = Number((await sql.query(`SELECT coalesce(sum(clicks), 0) AS n FROM link_clicks`)).rows[0].n);
    if (counted !== links.requests) throw new Error(`${links.requests} clicks answered, ${counted} counted`);
    process.stdout.write(`clicks answered and counted: ${counted}\n`);

    // `--no-day` skips the replay of a day (when profiling the redirect).
    const day = process.argv.includes('--no-day') ? null : await replayDay(sql, app.get<Redis>(REDIS), flusher, shareIds);
    if (day)
      process.stdout.write(
        `a day of ${DAY_CLICKS.toLocaleString('en')} clicks over ${CODES.toLocaleString('en')} shares adds ${round(day.database / MB, 1)} MB to Postgres ` +
          `(link_clicks: ${day.rows} rows, ${round(day.clicksTable / MB, 2)} MB with its indexes; link_click_batches: ${round(day.batchTable / MB, 2)} MB) ` +
          `in ${round(day.seconds, 1)} s of flushing\n`,
      );
    process.stdout.write(`health: ${round(health.rps)} req/s (p50 ${round(health.p50)} ms, p95 ${round(health.p95)} ms)\n`);
    process.stdout.write(
      `links: ${round(links.rps)} req/s, health: ${round(health.rps)} req/s, ratio ${round(links.rps / health.rps, 2)}, p95 ${round(links.p95)} ms\n`,
    );
  } finally {
    await app.close();
    await sql.end();
    await db.drop();
    await deleteRedisKeys(prefix);
  }
}

/** Rounds of one load as one: requests and errors added, the rate over their time, the worst round's percentiles. */
function combined(results: readonly LoadResult[]): LoadResult {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.requests / r.rps, 0);
  const worst = (key: 'p50' | 'p95' | 'p99') => Math.max(...results.map((r) => r[key]));
  return {
    requests,
    errors: results.reduce((n, r) => n + r.errors, 0),
    rps: requests / seconds,
    p50: worst('p50'),
    p95: worst('p95'),
    p99: worst('p99'),
  };
}

/** 10,000 shares of 1,000 approved posts, each with its code; FK checks off (see the header). */
async function seed(sql: pg.Pool): Promise<{ codes: string[]; shareIds: string[] }> {
  const client = await sql.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(`INSERT INTO niches (slug, name) SELECT 'niche-' || n, 'Niche ' || n FROM generate_series(1, 20) n`);
    await client.query(
      `INSERT INTO members (email, handle, display_name, password_hash)
       SELECT 'm' || n || '@bench.test', 'member_' || n, 'Member ' || n, 'not-a-login' FROM generate_series(1, 1000) n`,
    );
    await client.query(
      `WITH m AS (SELECT array_agg(id) AS ids FROM members), ni AS (SELECT array_agg(id) AS ids FROM niches)
       , fresh AS (
         INSERT INTO posts (id, author_id, niche_id, url, title, credits_per_share, status)
         SELECT gen_random_uuid(), m.ids[1 + (n % 1000)], ni.ids[1 + (n % 20)], 'https://blog.example.com/post-' || n, 'Post ' || n, 5, 'APPROVED'
           FROM generate_series(0, 999) n, m, ni
         RETURNING id, author_id)
       INSERT INTO ledger_accounts (id, kind, owner_id, posted) SELECT id, 'ESCROW', author_id, 1000 FROM fresh`,
    );
    const { rows } = await client.query<{ id: string }>(
      `WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM posts), m AS (SELECT array_agg(id ORDER BY id) AS ids FROM members)
       INSERT INTO shares (id, post_id, author_id, sharer_id, channel_id, niche_id, network, message, credits, hold_id, status,
                           scheduled_for, next_attempt_at, posted_at)
       SELECT gen_random_uuid(), q.id, q.author_id, m.ids[1 + ((n * 7 + 3) % 1000)], gen_random_uuid(), q.niche_id,
              (ARRAY['X', 'BLUESKY', 'MASTODON', 'LINKEDIN', 'WEBHOOK'])[1 + n % 5], 'Worth a read', 5, gen_random_uuid(),
              'POSTED', now(), now(), now()
         FROM generate_series(0, ${CODES * 2}) n CROSS JOIN p CROSS JOIN m JOIN posts q ON q.id = p.ids[1 + n % 1000]
        WHERE q.author_id <> m.ids[1 + ((n * 7 + 3) % 1000)]
        LIMIT ${CODES}
       RETURNING id`,
    );
    const shareIds = rows.map((r) => r.id);
    const codes = [...new Set(Array.from({ length: shareIds.length * 2 }, newLinkCode))].slice(0, shareIds.length);
    await client.query(
      `INSERT INTO share_links (share_id, code, post_id, niche_id, sharer_id, author_id, network)
       SELECT s.id, c.code, s.post_id, s.niche_id, s.sharer_id, s.author_id, s.network
         FROM unnest($1::uuid[], $2::text[]) AS c(id, code) JOIN shares s ON s.id = c.id`,
      [shareIds, codes],
    );
    await client.query('ANALYZE');
    return { codes, shareIds };
  } finally {
    await client.query(`SET session_replication_role = origin`);
    client.release();
  }
}

/** Replays a day of clicks through the flush and measures what it added. */
async function replayDay(sql: pg.Pool, redis: Redis, flusher: ClickFlusher, shareIds: readonly string[]) {
  const sizes = async () =>
    (
      await sql.query<{ database: string; clicks: string; batches: string; rows: string }>(
        `SELECT pg_database_size(current_database()) AS database, pg_total_relation_size('link_clicks') AS clicks,
                pg_total_relation_size('link_click_batches') AS batches, (SELECT count(*) FROM link_clicks) AS rows`,
      )
    ).rows[0]!;
  const before = await sizes();
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const started = performance.now();
  for (let i = 0; i < DAY_FLUSHES; i++) {
    const clicks = Math.floor(((i + 1) * DAY_CLICKS) / DAY_FLUSHES) - Math.floor((i * DAY_CLICKS) / DAY_FLUSHES);
    const counts = new Map<string, number>();
    for (let c = 0; c < clicks; c++) {
      const field = `${shareIds[Math.floor(Math.random() * shareIds.length)]}|${day}`;
      counts.set(field, (counts.get(field) ?? 0) + 1);
    }
    const pipeline = redis.pipeline();
    for (const [field, n] of counts) pipeline.hincrby(CLICK_KEYS.pending, field, n);
    await pipeline.exec();
    await flusher.flushNow();
    // Over a real day autovacuum visits the table every few minutes (its naptime is a minute, and its
    // threshold, 50 + 20% of 10,000 rows, is passed every three minutes at 12 clicks a second); the
    // replay squeezes the day into a minute, so it vacuums as often itself: every ten simulated minutes.
    if (i % 10 === 9) await sql.query('VACUUM link_clicks');
  }
  const seconds = (performance.now() - started) / 1000;
  const after = await sizes();
  const counted = Number((await sql.query(`SELECT sum(clicks) AS n FROM link_clicks WHERE day = $1`, [day])).rows[0].n);
  if (counted !== DAY_CLICKS) throw new Error(`the day replayed ${DAY_CLICKS} clicks, ${counted} were counted`);
  return {
    database: Number(after.database) - Number(before.database),
    clicksTable: Number(after.clicks) - Number(before.clicks),
    batchTable: Number(after.batches) - Number(before.batches),
    rows: Number(after.rows) - Number(before.rows),
    seconds,
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
