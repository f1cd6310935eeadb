/**
 * `npm run bench:relationships`: `viewer { relationships(first: 20) }` requests
 * per second against `{ __typename }` requests per second on the same server in
 * the same run, for a member with 5,000 peers in a database of 1,000,000 POSTED
 * shares. Last line: `relationships: <x> req/s, ping: <y> req/s, ratio <x/y>, p95 <a> ms`.
 *
 * The shares are seeded with set-based SQL as libs/relationships records them
 * (relationship_shares, one row per POSTED share, and the per-pair rows rebuilt
 * from them by relationships_rebuild): that is all the read touches. The
 * viewer's peers shared them 1 to 31 times each (a few a lot), over 400 days,
 * so every recency score, segment and the 365-day window are in play; the
 * viewer shared back 4,000 of them, and 1,000 more only ever got shares from
 * the viewer. This database measures reads and is dropped afterwards.
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

const PEERS = 5_000;
/** Peers who shared the viewer; the others only got shares from the viewer. */
const SHARING_PEERS = 4_000;
const OTHERS = 20_000;
const SHARES = 1_000_000;
const CONCURRENCY = 8;
const SECONDS = 10;
const ROUNDS = 2;

const FIELDS = `peer { handle displayName } segment rfm { recency frequency monetary }
  sharesGiven sharesReceived reachGiven reachReceived owed lastGivenAt lastReceivedAt firstReceivedAt`;
const RELATIONSHIPS = `query Relationships { viewer { relationships(first: 20) { edges { cursor node { ${FIELDS} } } pageInfo { endCursor hasNextPage } } } }`;
const OTHER_READS: Array<[string, string]> = [
  ['waitingOnYou(first: 5)', `query Waiting { viewer { waitingOnYou(first: 5) { ${FIELDS} } } }`],
  ['superFans(first: 5)', `query Fans { viewer { superFans(first: 5) { ${FIELDS} } } }`],
  ['relationships(segment: AT_RISK)', `query AtRisk { viewer { relationships(first: 20, segment: AT_RISK) { nodes { ${FIELDS} } } } }`],
  ['relationships(orderBy: RECENT)', `query Recent { viewer { relationships(first: 20, orderBy: RECENT) { nodes { ${FIELDS} } } } }`],
];

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
    const viewer = await app
      .get(AuthService)
      .register(
        ANONYMOUS,
        { email: 'viewer@bench.test', password: 'bench passphrase 1234', handle: 'bench_viewer', displayName: 'Viewer' },
        'bench',
      );
    const started = performance.now();
    await seed(sql, viewer.member.id);
    process.stdout.write(`seeded ${SHARES.toLocaleString('en')} shares in ${round((performance.now() - started) / 1000)} s\n`);
    const load = (query: string, token?: string, seconds = SECONDS, target = url) =>
      graphqlLoad(target, query, { concurrency: CONCURRENCY, seconds, token });
    await load(RELATIONSHIPS, viewer.accessToken, 2, uncachedUrl);
    // Rounds of each, one after the other, so a change in the machine's load falls on all alike.
    const pings: LoadResult[] = [];
    const served: LoadResult[] = [];
    const built: LoadResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      pings.push(await load('{ __typename }'));
      served.push(await load(RELATIONSHIPS, viewer.accessToken));
      built.push(await load(RELATIONSHIPS, viewer.accessToken, SECONDS, uncachedUrl));
    }
    const ping = combined(pings);
    const first = combined(served);
    const fresh = combined(built);
    const others: Array<[string, LoadResult]> = [];
    for (const [label, query] of OTHER_READS) others.push([label, await load(query, viewer.accessToken, SECONDS / 2, uncachedUrl)]);
    const failed = [...pings, ...served, ...built, ...others.map(([, r]) => r)].reduce((n, r) => n + r.errors, 0);
    if (failed > 0) throw new Error(`requests failed: ${failed}`);
    const rounds = (results: LoadResult[]) => results.map((r, i) => `${round(r.rps)} / ${round(pings[i]!.rps)}`).join(', ');
    process.stdout.write(`rounds, as served: ${rounds(served)}; built every time: ${rounds(built)} (req/s, relationships / ping)\n`);
    for (const [label, result] of others) {
      process.stdout.write(
        `${label}, built every time: ${round(result.rps)} req/s (p50 ${round(result.p50)} ms, p95 ${round(result.p95)} ms)\n`,
      );
    }
    process.stdout.write(
      `relationships(first: 20) built every time (FEED_CACHE_SECONDS=0): ${round(fresh.rps)} req/s, ratio ${round(fresh.rps / ping.rps, 2)}, ` +
        `p50 ${round(fresh.p50)} ms, p95 ${round(fresh.p95)} ms\n`,
    );
    process.stdout.write(
      `relationships(first: 20) as served (FEED_CACHE_SECONDS=${config.feedCacheSeconds}): p50 ${round(first.p50)} ms, p99 ${round(first.p99)} ms\n`,
    );
    process.stdout.write(
      `relationships: ${round(first.rps)} req/s, ping: ${round(ping.rps)} req/s, ratio ${round(first.rps / ping.rps, 2)}, p95 ${round(first.p95)} ms\n`,
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

/** Rounds as one: requests per second over them all, the worst p50/p95/p99. */
function combined(results: readonly LoadResult[]): LoadResult {
  const worst = (pick: (r: LoadResult) => number) => Math.max(...results.map(pick));
  return {
    requests: results.reduce((n, r) => n + r.requests, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    rps: results.reduce((n, r) => n + r.rps, 0) / results.length,
    p50: worst((r) => r.p50),
    p95: worst((r) => r.p95),
    p99: worst((r) => r.p99),
  };
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
}

/** Peers and other members, the viewer's shares both ways, the rest of the million among the others. */
async function seed(sql: pg.Pool, viewerId: string): Promise<void> {
  await sql.query(
    `INSERT INTO members (email, handle, display_name, password_hash)
     SELECT 'member' || n || '@bench.test', 'member_' || n, 'Member ' || n, 'not-a-login' FROM generate_series(1, ${PEERS + OTHERS}) n`,
  );
  // Received: each sharing peer 1 to 31 times (cubed, so most a few times, some a lot), within the last 400 days, mostly lately.
  // (The series' length mentions the member, so it is drawn for each.)
  await sql.query(
    `INSERT INTO relationship_shares (share_id, author_id, sharer_id, reach, posted_at)
     SELECT gen_random_uuid(), $1, m.id, (random() * random() * 3000)::int, now() - random() * random() * interval '400 days'
       FROM members m CROSS JOIN LATERAL generate_series(1, 1 + (random() ^ 3 * 30)::int + (m.id IS NULL)::int) g
      WHERE m.handle ~ '^member_[0-9]+$' AND substring(m.handle from 8)::int <= ${SHARING_PEERS}`,
    [viewerId],
  );
  // Given: the viewer shared 1 to 4 times each of the peers 1,001 to 5,000.
  await sql.query(
    `INSERT INTO relationship_shares (share_id, author_id, sharer_id, reach, posted_at)
     SELECT gen_random_uuid(), m.id, $1, 300, now() - random() * interval '400 days'
       FROM members m CROSS JOIN LATERAL generate_series(1, 1 + (random() * 3)::int + (m.id IS NULL)::int) g
      WHERE m.handle ~ '^member_[0-9]+$' AND substring(m.handle from 8)::int BETWEEN 1001 AND ${PEERS}`,
    [viewerId],
  );
  // The rest between the other members, in batches (a pair of one member with themselves is dropped, and made up for).
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM relationship_shares`);
    const rest = SHARES - rows[0]!.n;
    if (rest <= 0) break;
    await sql.query(
      `WITH others AS (SELECT array_agg(id) AS ids FROM members WHERE handle ~ '^member_[0-9]+$' AND substring(handle from 8)::int > ${PEERS}),
            pairs AS (SELECT o.ids[1 + (random() * (cardinality(o.ids) - 1))::int] AS author_id,
                             o.ids[1 + (random() * (cardinality(o.ids) - 1))::int] AS sharer_id
                        FROM generate_series(1, $1::int), others o)
       INSERT INTO relationship_shares (share_id, author_id, sharer_id, reach, posted_at)
       SELECT gen_random_uuid(), author_id, sharer_id, (random() * 2000)::int, now() - random() * interval '400 days'
         FROM pairs WHERE author_id <> sharer_id`,
      [Math.min(200_000, rest)],
    );
  }
  await sql.query(`SELECT relationships_rebuild(now() - interval '8760 hours')`);
  // Measured once the seeding's writes are on disk, not while they are written.
  await sql.query('VACUUM ANALYZE');
  await sql.query('CHECKPOINT');
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
