import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { ClickFlusher } from '@sharepool/links';
import { TEST_REDIS_URL } from '@sharepool/testing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { startApiProcess } from './support/api-process.js';
import { approvedPost, eventually, nicheWith, ok, rawId, share, shareStatus, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { workerEnvironment } from './support/worker-process.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SHARE_LINK = `query($id: ID!) { node(id: $id) { ... on Share { shortUrl clicks } } }`;
const POST_FIGURES = `query($id: ID!, $days: Int) { node(id: $id) { ... on Post { clicks reach clickHistory(days: $days) { day count } } } }`;
const ROR = `{ viewer { returnOnRelationship(weeks: 2) { weekStart sharesReceived creditsSpent reachReceived clicksReceived } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawPost(id: $id) { status } }`;
const PAUSE = `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`;

describe('short links', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { PUBLIC_URL: 'https://sp.example', CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** An author's approved post shared by a peer to a webhook channel, delivered. */
  async function postedShare() {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30 });
    const channel = await webhookChannel(t, sharer, sink);
    const shareId = (await share(t, sharer, postId, [channel], { message: 'Worth a read' })).data!.sharePost[0].id as string;
    await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'POSTED',
    );
    const { node } = await ok(t, SHARE_LINK, { id: shareId }, sharer.token);
    const code = (node.shortUrl as string).split('/s/')[1]!;
    const { slug } = (await t.sql.query(`SELECT slug FROM niches WHERE id = $1`, [rawId(niche)])).rows[0];
    return { author, sharer, niche, nicheSlug: slug as string, postId, shareId, shortUrl: node.shortUrl as string, code };
  }

  const visit = (code: string, headers: Record<string, string> = {}, method: 'get' | 'head' = 'get') =>
    t.http[method](`/s/${code}`)
      .set({ 'user-agent': BROWSER, ...headers })
      .redirects(0);
  const flush = () => t.app.get(ClickFlusher).flushNow();
  const shareClicks = async (s: { sharer: SignedIn; shareId: string }) =>
    (await ok(t, SHARE_LINK, { id: s.shareId }, s.sharer.token)).node.clicks as number;

  it('gives every share a short link on PUBLIC_URL, and the posted message carries it in place of the post URL', async () => {
    const s = await postedShare();
    expect(s.shortUrl).toMatch(/^https:\/\/sp\.example\/s\/[0-9A-Za-z]{8}$/);
    const delivery = sink.deliveries.find((d) => d.body.shareId === rawId(s.shareId))!;
    expect(delivery.body.shortUrl).toBe(s.shortUrl);
    expect(delivery.body.message).toBe(`Worth a read ${s.shortUrl}`);
    expect(delivery.body.message).not.toContain(delivery.body.post.url);
  });

  it("redirects to the post's URL with the campaign parameters added", async () => {
    const s = await postedShare();
    const res = await visit(s.code);
    expect(res.status).toBe(302);
    const target = new URL(res.headers.location!);
    const { rows } = await t.sql.query(`SELECT url FROM posts WHERE id = $1`, [rawId(s.postId)]);
    expect(`${target.origin}${target.pathname}`).toBe(rows[0].url);
    expect(Object.fromEntries(target.searchParams)).toEqual({ utm_source: 'sharepool', utm_medium: 'webhook', utm_campaign: s.nicheSlug });
    expect(res.headers['cache-control']).toBe('private, max-age=0');
    expect(res.headers['referrer-policy']).toBe('no-referrer-when-downgrade');
  });

  it('keeps the campaign parameters a post URL already has', async () => {
    // Submissions drop tracking parameters today; a URL stored before that keeps its own.
    const s = await postedShare();
    await t.sql.query(`UPDATE posts SET url = url || '?utm_content=hero&utm_source=newsletter&x=1' WHERE id = $1`, [rawId(s.postId)]);
    const target = new URL((await visit(s.code)).headers.location!);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      utm_content: 'hero',
      utm_source: 'newsletter',
      x: '1',
      utm_medium: 'webhook',
      utm_campaign: s.nicheSlug,
    });
  });

  it('answers an unknown code with a 404 page', async () => {
    for (const code of ['Zz9Zz9Zz', 'short', 'not-a-code!']) {
      const res = await visit(code);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Link not found');
      // Its one style element is allowed by its hash; nothing else may load.
      const style = /<style>([^<]*)<\/style>/.exec(res.text)![1]!;
      const hash = createHash('sha256').update(style).digest('base64');
      expect(res.headers['content-security-policy']).toBe(
        `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      expect(res.text).not.toMatch(/style="/);
    }
  });

  it('answers 410 once the post is withdrawn, at once even after the link was followed', async () => {
    const s = await postedShare();
    expect((await visit(s.code)).status).toBe(302);
    await ok(t, WITHDRAW, { id: s.postId }, s.author.token);
    const res = await visit(s.code);
    expect(res.status).toBe(410);
    expect(res.text).toContain('no longer available');
  });

  it('answers 410 while a pause covers the post, and redirects again once it is lifted', async () => {
    const s = await postedShare();
    expect((await visit(s.code)).status).toBe(302);
    await ok(t, PAUSE, { i: { scope: 'NICHE', nicheId: s.niche, reason: 'Checking a report' } }, admin.token);
    expect((await visit(s.code)).status).toBe(410);
    await ok(t, RESUME, { i: { scope: 'NICHE', nicheId: s.niche, reason: 'All clear' } }, admin.token);
    expect((await visit(s.code)).status).toBe(302);
  });

  it('counts a human visit once per visitor and day; bots, HEAD, prefetches and repeats do not count', async () => {
    const s = await postedShare();
    await visit(s.code, { 'x-forwarded-for': '198.51.100.1' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.1' }); // the same visitor again
    await visit(s.code, { 'x-forwarded-for': '198.51.100.2' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.2', 'user-agent': `${BROWSER} Edg/131.0` }); // another browser there
    await visit(s.code, { 'x-forwarded-for': '198.51.100.3', 'user-agent': 'Twitterbot/1.0' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.4', 'user-agent': 'facebookexternalhit/1.1' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.5', 'user-agent': '' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.6', 'sec-purpose': 'prefetch;prerender' });
    await visit(s.code, { 'x-forwarded-for': '198.51.100.7', purpose: 'prefetch' });
    expect((await visit(s.code, { 'x-forwarded-for': '198.51.100.8' }, 'head')).status).toBe(302);
    await flush();
    expect(await shareClicks(s)).toBe(3);
  });

  it("adds clicks to the share, the post, its history and the author's return on relationship", async () => {
    const s = await postedShare();
    for (let i = 1; i <= 4; i++) await visit(s.code, { 'x-forwarded-for': `192.0.2.${i}` });
    await flush();
    expect(await shareClicks(s)).toBe(4);

    const { node: post } = await ok(t, POST_FIGURES, { id: s.postId, days: 3 }, s.author.token);
    expect(post.clicks).toBe(4);
    expect(post.clickHistory).toHaveLength(3);
    expect(post.clickHistory.map((d: { count: number }) => d.count)).toEqual([0, 0, 4]);
    expect(new Date(post.clickHistory[2].day).toISOString()).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);

    const { viewer } = await ok(t, ROR, {}, s.author.token);
    expect(viewer.returnOnRelationship).toHaveLength(2);
    expect(viewer.returnOnRelationship[1]).toMatchObject({ sharesReceived: 1, creditsSpent: 10, clicksReceived: 4 });
    const sharerRor = (await ok(t, ROR, {}, s.sharer.token)).viewer.returnOnRelationship[1];
    expect(sharerRor).toMatchObject({ sharesReceived: 0, clicksReceived: 0 });
  });

  it('counts a batch once when the flusher that added it to Postgres died before deleting it from Redis', async () => {
    const s = await postedShare();
    await visit(s.code, { 'x-forwarded-for': '192.0.2.77' });
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: `${t.env.redisPrefix}:` });
    try {
      await flush();
      expect(await shareClicks(s)).toBe(1);
      // What a flusher killed between its commit and its DEL leaves behind: the batch, still listed.
      const id = await redis.get('links:batch-seq');
      await redis.hset(`links:batch:${id}`, `${rawId(s.shareId)}|${new Date().toISOString().slice(0, 10)}`, '1');
      await redis.sadd('links:batches', id!);
      await flush();
      expect(await shareClicks(s)).toBe(1);
      expect(await redis.smembers('links:batches')).toEqual([]);
      expect(await redis.exists(`links:batch:${id}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("shows a post's clicks per day to its author, moderators and admins only", async () => {
    const s = await postedShare();
    expect((await t.gql(POST_FIGURES, { id: s.postId, days: 1 }, { token: admin.token })).errors).toBeUndefined();
    const res = await t.gql(POST_FIGURES, { id: s.postId, days: 30 }, { token: s.sharer.token });
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(POST_FIGURES, { id: s.postId, days: 367 }, { token: s.author.token }))).toBe('BAD_USER_INPUT');
  });

  it('loses no click an API process answered when it is killed right after (SIGKILL), and stores no IP address or user agent', async () => {
    const s = await postedShare();
    const marker = `Marker${Date.now()}`;
    const agent = `${BROWSER} ${marker}`;
    const api = await startApiProcess(workerEnvironment(t.env, { LOG_LEVEL: 'debug', PUBLIC_URL: 'https://sp.example' }));
    const clicks = 40;
    try {
      const answers = await Promise.all(
        Array.from({ length: clicks }, (_, i) =>
          fetch(`${api.url}/s/${s.code}`, {
            redirect: 'manual',
            headers: { 'user-agent': agent, 'x-forwarded-for': `203.0.113.${i + 1}` },
          }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(clicks).fill(302));
      api.kill('SIGKILL');
      expect((await api.exited).signal).toBe('SIGKILL');
    } finally {
      api.kill('SIGKILL');
    }
    // The killed process's clicks are in Redis (pending, or in a batch it had taken): this process flushes them.
    await flush();
    expect(await shareClicks(s)).toBe(clicks);

    // Nothing keeps who clicked: no table, no Redis key or value, no log line holds an address or the user agent.
    const addresses = Array.from({ length: clicks }, (_, i) => `203.0.113.${i + 1}`);
    const { rows: tables } = await t.sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    for (const { tablename } of tables) {
      const { rows } = await t.sql.query(`SELECT t::text AS row FROM "${tablename}" t`);
      const text = rows.map((r) => r.row as string).join('\n');
      expect(text).not.toContain(marker);
      for (const address of addresses) expect(text.includes(address) ? `${tablename} holds ${address}` : null).toBeNull();
    }
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${t.env.redisPrefix}:*`);
      const dump = [];
      for (const key of keys) {
        const type = await redis.type(key);
        dump.push(key);
        if (type === 'string') dump.push(await redis.get(key));
        if (type === 'set') dump.push(...(await redis.smembers(key)));
        if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
      }
      const text = dump.join('\n');
      expect(text).not.toContain(marker);
      for (const address of addresses) expect(text.includes(address) ? `Redis holds ${address}` : null).toBeNull();
    } finally {
      redis.disconnect();
    }
    const log = api.output();
    expect(log).toContain(`/s/${s.code}`); // the access log was on (debug), and shows the path only
    expect(log).not.toContain(marker);
    for (const address of addresses) expect(log.includes(address) ? `the log holds ${address}` : null).toBeNull();
  });
});
