import { randomInt } from 'node:crypto';
import { verifyLedger } from '@sharepool/ledger';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, nicheWith, ok, rawId, webhookChannel } from '../support/flows.js';
import { signInAdmin, signUp, type SignedIn } from '../support/members.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWorkerProcess, type WorkerProcess, workerEnvironment } from '../support/worker-process.js';

/*
 * 500 shares delivered to a webhook receiver that fails now and then (503s,
 * answers that never come, connections dropped after the delivery was taken),
 * by two worker processes that are SIGKILLed at random, while the queue's Redis
 * is restarted empty once. Afterwards nothing is stuck, the receiver processed
 * every posted share exactly once, and the ledger is intact.
 */

const AUTHORS = 5;
const SHARERS = 10;
const CHANNELS_PER_SHARER = 10;
const CREDITS_PER_SHARE = 3;
/** Each sharer shares each post to each of its channels: 50 shares a day each (NEW members' shares a day are raised to that). */
const SHARES = AUTHORS * SHARERS * CHANNELS_PER_SHARER;
const GRANT = 1_000;
const BUDGET = SHARERS * CHANNELS_PER_SHARER * CREDITS_PER_SHARE;
const WORKERS = 2;
const KILLS = 12;
/** Shares fall due over this window, so the kills land on work in flight. */
const SPREAD_MS = 60_000;
const CHAOS = { errorRate: 0.05, hangAfterAcceptRate: 0.015, dropAfterAcceptRate: 0.02 };
const WORKER_ENV = {
  SHARE_LEASE_SECONDS: '5',
  SWEEP_INTERVAL_SECONDS: '1',
  CHANNEL_MIN_INTERVAL_SECONDS: '0',
  WORKER_CONCURRENCY: '16',
};
const DEADLINE_MS = 420_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ShareRow {
  id: string;
  status: string;
  failureReason: string | null;
  attempts: number;
}

describe('effectively-once delivery under chaos', () => {
  let redis: RedisServer;
  let sink: WebhookSinkFake;
  let t: TestApp;
  let admin: SignedIn;
  const workers = new Set<WorkerProcess>();

  beforeAll(async () => {
    redis = await startRedisServer();
    sink = await startWebhookSink({ record: false });
    t = await startTestApp({
      env: {
        REDIS_URL: redis.url,
        SIGNUP_GRANT: String(GRANT),
        TRUST_RULES: JSON.stringify({ levels: { NEW: { privileges: { sharesPerDay: AUTHORS * CHANNELS_PER_SHARER, postsPerDay: 100 } } } }),
        CHANNEL_MIN_INTERVAL_SECONDS: '0',
      },
    });
    admin = await signInAdmin(t);
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all([...workers].map((w) => w.exited));
    await t?.close();
    await sink?.close();
    await redis?.stop();
  }, 60_000);

  /** Starts a worker; it joins `workers` once it takes jobs. Awaited later, so a failed start fails the test. */
  const startWorker = (): Promise<WorkerProcess> => {
    const started = startWorkerProcess(workerEnvironment(t.env, WORKER_ENV)).then((worker) => {
      workers.add(worker);
      void worker.exited.then(() => workers.delete(worker));
      return worker;
    });
    started.catch(() => undefined);
    return started;
  };

  const unfinished = async () =>
    Number((await t.sql.query(`SELECT count(*) AS n FROM shares WHERE status IN ('SCHEDULED', 'POSTING')`)).rows[0].n);

  it(
    `delivers ${SHARES} shares exactly once while workers are SIGKILLed ${KILLS} times and Redis restarts`,
    async () => {
      const started = Date.now();
      // The workers start while the test arranges its data: starting one takes a few seconds.
      const starting = Array.from({ length: WORKERS }, () => startWorker());

      // Arrange through the API: authors with one approved post each, sharers with ten webhook channels.
      const authors: SignedIn[] = [];
      for (let i = 0; i < AUTHORS; i++) authors.push(await signUp(t));
      const sharers: SignedIn[] = [];
      for (let i = 0; i < SHARERS; i++) sharers.push(await signUp(t));
      const niche = await nicheWith(t, admin, ...authors, ...sharers);
      const posts: string[] = [];
      for (const author of authors) {
        posts.push(await approvedPost(t, admin, author, niche, { creditsPerShare: CREDITS_PER_SHARE, budget: BUDGET }));
      }
      const channels = new Map<SignedIn, string[]>();
      for (const sharer of sharers) {
        const names = Array.from({ length: CHANNELS_PER_SHARER }, (_, c) => `${sharer.handle}-${c}`);
        channels.set(sharer, await Promise.all(names.map((name) => webhookChannel(t, sharer, sink, name))));
      }
      sink.setChaos(CHAOS);
      // Creating the shares takes a while: the first fall due about when the chaos starts.
      const firstDue = Date.now() + 15_000;
      for (const sharer of sharers) {
        for (const postId of posts) {
          const scheduledFor = new Date(firstDue + randomInt(SPREAD_MS)).toISOString();
          await ok(
            t,
            `mutation($i: SharePostInput!) { sharePost(input: $i) { id } }`,
            { i: { postId, channelIds: channels.get(sharer), scheduledFor } },
            sharer.token,
          );
        }
      }
      expect(Number((await t.sql.query(`SELECT count(*) AS n FROM shares`)).rows[0].n)).toBe(SHARES);
      await Promise.all(starting);
      const arranged = Date.now();

      // Act: every 1-3 s a running worker is SIGKILLed and a new one started, until the last share fell due
      // and there were enough kills; half-way through the due window Redis restarts empty, losing the
      // delayed jobs of the shares not yet due.
      const replacements: Promise<unknown>[] = [];
      const restartAt = firstDue + SPREAD_MS / 2;
      let kills = 0;
      let redisRestarted = false;
      while (kills < KILLS || Date.now() < firstDue + SPREAD_MS) {
        await sleep(1_000 + randomInt(2_000));
        if (!redisRestarted && Date.now() >= restartAt) {
          await redis.restart();
          redisRestarted = true;
        }
        const victim = [...workers][randomInt(Math.max(1, workers.size))];
        if (!victim || kills >= KILLS) continue;
        victim.kill('SIGKILL');
        await victim.exited;
        kills++;
        replacements.push(startWorker());
      }
      await Promise.all(replacements);
      const chaosEnded = Date.now();

      // The receiver stops misbehaving; the workers finish what is left, the sweeper what was lost.
      sink.setChaos({});
      while ((await unfinished()) > 0 && Date.now() - started < DEADLINE_MS) await sleep(1_000);
      const settled = Date.now();
      for (const worker of workers) worker.kill('SIGTERM');
      await Promise.all([...workers].map((w) => w.exited));

      // Assert.
      const shares = (await t.sql.query<ShareRow>(`SELECT id, status, failure_reason AS "failureReason", attempts FROM shares ORDER BY id`))
        .rows;
      const byStatus = (status: string) => shares.filter((s) => s.status === status);
      const stats = sink.stats();
      const accepted = new Map<string, number>();
      for (const delivery of sink.deliveries) accepted.set(delivery.deliveryId, (accepted.get(delivery.deliveryId) ?? 0) + 1);
      const postedShares = byStatus('POSTED');
      const failedShares = byStatus('FAILED');

      const figures = {
        shares: shares.length,
        posted: postedShares.length,
        failed: failedShares.length,
        kills,
        redisRestarts: redisRestarted ? 1 : 0,
        requestsReceived: stats.received,
        deliveriesAccepted: stats.accepted,
        duplicatesDeduped: stats.duplicates,
        rejected: stats.rejected,
        triesPerShare: (shares.reduce((n, s) => n + s.attempts, 0) / shares.length).toFixed(2),
        sharesTriedMoreThanOnce: shares.filter((s) => s.attempts > 1).length,
        arrangeSeconds: Math.round((arranged - started) / 1000),
        chaosSeconds: Math.round((chaosEnded - arranged) / 1000),
        settleSeconds: Math.round((settled - chaosEnded) / 1000),
        totalSeconds: Math.round((Date.now() - started) / 1000),
      };
      process.stdout.write(`\nchaos delivery figures: ${JSON.stringify(figures, null, 2)}\n`);
      if (failedShares.length) {
        process.stdout.write(`failure reasons: ${JSON.stringify([...new Set(failedShares.map((s) => s.failureReason))])}\n`);
      }

      expect(kills).toBeGreaterThanOrEqual(10);
      expect(redisRestarted).toBe(true);
      // Nothing stuck: every share ended POSTED or FAILED.
      expect(shares).toHaveLength(SHARES);
      expect(byStatus('SCHEDULED').concat(byStatus('POSTING'))).toEqual([]);
      expect(postedShares.length + failedShares.length).toBe(SHARES);
      // The receiver processed each delivery id at most once, and every posted share exactly once.
      expect([...accepted.values()].every((n) => n === 1)).toBe(true);
      expect(postedShares.filter((s) => accepted.get(s.id) !== 1)).toEqual([]);
      expect(stats.rejected).toBe(0);
      // A share the receiver took but that is not POSTED failed with a reason that says so.
      const takenButFailed = failedShares.filter((s) => accepted.has(s.id));
      expect(takenButFailed.filter((s) => !/may have gone out|did not answer|connection .* broke/i.test(s.failureReason ?? ''))).toEqual(
        [],
      );
      // Failures are the receiver's 503s or lost answers given up on after five tries, never anything else.
      expect(failedShares.filter((s) => !s.failureReason?.startsWith('Gave up after'))).toEqual([]);
      expect(postedShares.length).toBeGreaterThanOrEqual(SHARES * 0.98);

      // Credits: the ledger verifies, each sharer earned exactly its posted shares, each post paid for those only.
      const ledger = await verifyLedger(t.sql);
      expect(ledger.checks.filter((c) => c.violations > 0)).toEqual([]);
      expect(ledger.ok).toBe(true);
      const balances = await t.sql.query<{ id: string; available: string; posted: string }>(
        `SELECT a.id, (a.posted - a.pending_out)::text AS available,
                (SELECT count(*) FROM shares s WHERE s.status = 'POSTED' AND (s.sharer_id = a.id OR s.post_id = a.id))::text AS posted
           FROM ledger_accounts a WHERE a.id = ANY($1::uuid[])`,
        [[...sharers.map((s) => rawId(s.id)), ...posts.map(rawId)]],
      );
      expect(balances.rows).toHaveLength(SHARERS + AUTHORS);
      for (const row of balances.rows) {
        const isPost = posts.map(rawId).includes(row.id);
        const expected = isPost ? BUDGET - CREDITS_PER_SHARE * Number(row.posted) : GRANT + CREDITS_PER_SHARE * Number(row.posted);
        expect({ id: row.id, available: Number(row.available) }).toEqual({ id: row.id, available: expected });
      }
      const pendingHolds = await t.sql.query(
        `SELECT p.id FROM ledger_transfers p WHERE p.phase = 'PENDING' AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)`,
      );
      expect(pendingHolds.rows).toEqual([]);
    },
    DEADLINE_MS + 60_000,
  );
});
