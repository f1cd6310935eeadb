import { verifyLedger } from '@sharepool/ledger';
import { createTestEnvironment, sqlPool, type TestEnvironment } from '@sharepool/testing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import type pg from 'pg';
import { type ApiProcess, startApiProcess } from './support/api-process.js';
import { approvedPost, eventually, inSeconds, nicheWith, ok, rawId, share, webhookChannel } from './support/flows.js';
import { liveClient, type LiveClient } from './support/live-client.js';
import { codeOf, logIn, signInAdmin, signUp, type SignedIn } from './support/members.js';
import type { GraphqlResult, TestApp } from './support/test-app.js';
import { startWorkerProcess, type WorkerProcess, workerEnvironment } from './support/worker-process.js';

/*
 * Sharepool as it runs when it outgrows one machine: two API processes and two
 * worker processes (`npm run start:api`, `npm run start:worker`, from the
 * sources) on one PostgreSQL and one Redis. What a member does through one API
 * is seen through the other, live and in every cache; the workers share the
 * networks' limits and the channels' pacing; and killing both workers at once
 * loses nothing and posts nothing twice.
 */

const ENV = {
  CHANNEL_MIN_INTERVAL_SECONDS: '2',
  NETWORK_CONCURRENCY: 'WEBHOOK=2',
  SHARE_LEASE_SECONDS: '5',
  SWEEP_INTERVAL_SECONDS: '1',
  WORKER_CONCURRENCY: '8',
  DAILY_SHARE_CAP: '200',
  FEED_CACHE_SECONDS: '60',
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1000000',
  SIGNUP_GRANT: '1000',
};

/** The test helpers' view of one API process: GraphQL over HTTP. */
function apiOf(process: ApiProcess): TestApp {
  return {
    url: process.url,
    async gql<T>(query: string, variables?: Record<string, unknown>, options: { token?: string; headers?: Record<string, string> } = {}) {
      const res = await fetch(`${process.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: GraphqlResult['errors']; extensions?: Record<string, unknown> };
      return { status: res.status, data: body.data, errors: body.errors, extensions: body.extensions };
    },
  } as TestApp;
}

describe('two API processes and two workers on one PostgreSQL and one Redis', () => {
  let env: TestEnvironment;
  let sql: pg.Pool;
  let sink: WebhookSinkFake;
  let processEnv: Record<string, string>;
  let apis: ApiProcess[] = [];
  const workers = new Set<WorkerProcess>();
  let api1: TestApp;
  let api2: TestApp;
  let admin: SignedIn;
  const clients: LiveClient[] = [];

  const startWorker = async () => {
    const worker = await startWorkerProcess(processEnv);
    workers.add(worker);
    void worker.exited.then(() => workers.delete(worker));
    return worker;
  };

  beforeAll(async () => {
    sink = await startWebhookSink();
    env = await createTestEnvironment(ENV);
    sql = sqlPool(env.db.url, 4);
    processEnv = workerEnvironment(env, ENV);
    apis = await Promise.all([startApiProcess(processEnv), startApiProcess(processEnv)]);
    await Promise.all([startWorker(), startWorker()]);
    [api1, api2] = apis.map(apiOf) as [TestApp, TestApp];
    admin = await signInAdmin(api2);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const process of [...apis, ...workers]) process.kill('SIGTERM');
    await Promise.all([...apis, ...workers].map((p) => p.exited));
    await sql?.end();
    await sink?.close();
    await env?.cleanup();
  }, 120_000);

  it('shows a member subscribed on API 1 the share they made through API 2 go SCHEDULED → POSTING → POSTED', async () => {
    const author = await signUp(api2);
    const sharer = await signUp(api2);
    const niche = await nicheWith(api2, admin, author, sharer);
    const postId = await approvedPost(api2, admin, author, niche);
    const channel = await webhookChannel(api2, sharer, sink);

    const live = liveClient(api1.url, sharer.token);
    clients.push(live);
    const shares = live.subscribe<{ shareUpdated: { id: string; status: string } }>(`subscription { shareUpdated { id status } }`);
    const news = live.subscribe<{ notificationAdded: { kind: string } }>(`subscription { notificationAdded { kind } }`);
    // Once a notification written through API 2 reaches API 1's subscriber, both subscriptions are in place.
    await eventually(
      async () => {
        await ok(
          api2,
          `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
          { i: { memberId: sharer.id, amount: 1, reason: 'a barrier' } },
          admin.token,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        return news.values.length;
      },
      (n) => n > 0,
    );

    let postingSeen!: () => void;
    sink.fail({ reply: { status: 200, body: { ok: true } }, when: new Promise<void>((resolve) => (postingSeen = resolve)) });
    const made = await share(api2, sharer, postId, [channel], { scheduledFor: inSeconds(2) });
    const shareId = made.data!.sharePost[0].id;
    await shares.until((v) => v.some((x) => x.shareUpdated.status === 'POSTING'), 30_000);
    postingSeen();
    await shares.until((v) => v.some((x) => x.shareUpdated.status === 'POSTED'), 30_000);
    expect(shares.values.map((v) => [v.shareUpdated.id, v.shareUpdated.status])).toEqual([
      [shareId, 'SCHEDULED'],
      [shareId, 'POSTING'],
      [shareId, 'POSTED'],
    ]);
    await news.until((v) => v.some((x) => x.notificationAdded.kind === 'SHARE_POSTED'));
  }, 90_000);

  it('keeps the feed cache, the member cache and login throttling in agreement across both APIs', async () => {
    const FEED = `{ shareFeed(first: 50) { nodes { id } } }`;
    const author = await signUp(api1);
    const reader = await signUp(api1);
    const niche = await nicheWith(api1, admin, author, reader);
    const postId = await approvedPost(api1, admin, author, niche);
    // API 1 keeps the reader's feed (FEED_CACHE_SECONDS=60); the author withdraws the post through API 2.
    expect((await ok(api1, FEED, {}, reader.token)).shareFeed.nodes).toEqual([{ id: postId }]);
    expect((await ok(api1, FEED, {}, reader.token)).shareFeed.nodes).toEqual([{ id: postId }]);
    await ok(api2, `mutation($id: ID!) { withdrawPost(id: $id) { status } }`, { id: postId }, author.token);
    await eventually(
      async () => (await ok(api1, FEED, {}, reader.token)).shareFeed.nodes,
      (nodes) => nodes.length === 0,
      10_000,
    );

    // API 1 remembers the reader behind their token; a moderator suspends them through API 2.
    expect((await api1.gql(`{ viewer { email } }`, {}, { token: reader.token })).errors).toBeUndefined();
    await ok(
      api2,
      `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`,
      { i: { memberId: reader.id, reason: 'a test of the caches' } },
      admin.token,
    );
    await eventually(
      async () => codeOf(await api1.gql(`{ viewer { email } }`, {}, { token: reader.token })),
      (code) => code === 'FORBIDDEN',
      10_000,
    );

    // Five failures through API 1 from one address; the sixth try through API 2 is refused.
    const address = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 5; i++) expect(codeOf(await logIn(api1, author.email, 'not the password', address))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(api2, author.email, author.password, address))).toBe('RATE_LIMITED');
  }, 90_000);

  it('holds each network to its limit and each channel to its pace across both workers', async () => {
    const author = await signUp(api1);
    const sharer = await signUp(api1);
    const niche = await nicheWith(api1, admin, author, sharer);
    const posts = [
      await approvedPost(api1, admin, author, niche, { budget: 100 }),
      await approvedPost(api1, admin, author, niche, { budget: 100 }),
    ];
    const channels: string[] = [];
    for (let i = 0; i < 8; i++) channels.push(await webhookChannel(api1, sharer, sink, `${sharer.handle}-${i}`));
    sink.reset();
    // Each delivery takes 300 ms at the receiver: 8 at once would overlap if nothing held them back.
    sink.fail({ delayMs: 300 }, 8);
    const made = await share(api1, sharer, posts[0]!, channels);
    const ids: string[] = made.data!.sharePost.map((s: { id: string }) => rawId(s.id));
    await eventually(
      async () =>
        (await sql.query(`SELECT count(*)::int AS n FROM shares WHERE id = ANY($1::uuid[]) AND status = 'POSTED'`, [ids])).rows[0].n,
      (n) => n === 8,
      60_000,
    );
    expect(sink.stats().maxInFlight).toBe(2);

    // The same channel twice at once: the second post reaches it at least CHANNEL_MIN_INTERVAL_SECONDS later.
    sink.reset();
    await share(api1, sharer, posts[1]!, [channels[0]!]);
    const other = await approvedPost(api1, admin, author, niche, { budget: 100 });
    await share(api1, sharer, other, [channels[0]!]);
    const arrivals = await eventually(
      async () => sink.deliveries.map((d) => d.receivedAt),
      (times) => times.length === 2,
      60_000,
    );
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(2_000);
  }, 180_000);

  it('delivers every share exactly once, with the ledger intact, while both workers are SIGKILLed at once', async () => {
    const author = await signUp(api2);
    const niche = await nicheWith(api2, admin, author);
    const sharers: SignedIn[] = [];
    for (let i = 0; i < 3; i++) sharers.push(await signUp(api2));
    for (const sharer of sharers) await ok(api2, `mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: niche }, sharer.token);
    const postId = await approvedPost(api2, admin, author, niche, { budget: 300, creditsPerShare: 5 });
    sink.reset();
    for (const sharer of sharers) {
      const channels: string[] = [];
      for (let c = 0; c < 8; c++) channels.push(await webhookChannel(api2, sharer, sink, `${sharer.handle}-k${c}`));
      expect((await share(api2, sharer, postId, channels, { scheduledFor: inSeconds(2) })).errors).toBeUndefined();
    }
    // Both workers die together while the shares are being delivered; two new ones take over.
    await eventually(
      async () => sink.stats().accepted,
      (n) => n >= 3,
      30_000,
    );
    const dying = [...workers];
    for (const worker of dying) worker.kill('SIGKILL');
    await Promise.all(dying.map((w) => w.exited));
    await Promise.all([startWorker(), startWorker()]);
    await eventually(
      async () =>
        (
          await sql.query(`SELECT count(*)::int AS n FROM shares WHERE post_id = $1 AND status IN ('SCHEDULED', 'POSTING')`, [
            rawId(postId),
          ])
        ).rows[0].n,
      (n) => n === 0,
      120_000,
    );

    const shares = (await sql.query<{ id: string; status: string }>(`SELECT id, status FROM shares WHERE post_id = $1`, [rawId(postId)]))
      .rows;
    expect(shares).toHaveLength(24);
    const accepted = sink.deliveries.map((d) => d.deliveryId);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(
      shares
        .filter((s) => s.status === 'POSTED')
        .map((s) => s.id)
        .sort(),
    ).toEqual([...accepted].sort());
    expect(shares.every((s) => s.status === 'POSTED')).toBe(true);
    expect(sink.stats().rejected).toBe(0);
    const ledger = await verifyLedger(sql);
    expect(ledger.checks.filter((c) => c.violations > 0)).toEqual([]);
    const balance = await sql.query(`SELECT (posted - pending_out)::int AS available FROM ledger_accounts WHERE id = $1`, [rawId(postId)]);
    expect(balance.rows[0].available).toBe(300 - 24 * 5);
  }, 240_000);
});
