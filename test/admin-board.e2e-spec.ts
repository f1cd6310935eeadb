import type { Redis } from 'ioredis';
import { REDIS } from '@sharepool/redis';
import { codeOf, signInAdmin, signUp } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('the queue board', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('turns away a visitor who is not signed in', async () => {
    expect((await t.http.get('/admin/queues')).status).toBe(401);
  });

  const TICKET = `mutation { createQueueBoardTicket { url expiresIn } }`;

  it('gives board tickets to admins only', async () => {
    const member = await signUp(t);
    expect(codeOf(await t.gql(TICKET, {}, { token: member.token }))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(TICKET))).toBe('UNAUTHENTICATED');
    const key = (
      await t.gql(`mutation { createApiKey(input: { name: "k", scopes: [READ] }) { secret } }`, {}, { token: (await signInAdmin(t)).token })
    ).data!.createApiKey.secret;
    expect(codeOf(await t.gql(TICKET, {}, { token: key }))).toBe('FORBIDDEN');
  });

  it('turns away a member who is not an admin', async () => {
    const member = await signUp(t);
    expect((await t.http.get('/admin/queues').set('authorization', `Bearer ${member.token}`)).status).toBe(403);
  });

  it('takes no access token from the address', async () => {
    const admin = await signInAdmin(t);
    const res = await t.http.get(`/admin/queues?token=${admin.token}`);
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('opens for an admin with a single-use ticket, exchanged for a cookie scoped to the board', async () => {
    const admin = await signInAdmin(t);
    const { url, expiresIn } = (await t.gql(TICKET, {}, { token: admin.token })).data!.createQueueBoardTicket;
    expect(url).toMatch(/^\/admin\/queues\?ticket=[A-Za-z0-9_-]{43}$/);
    expect(expiresIn).toBe(60);
    const opened = await t.http.get(url);
    expect(opened.status).toBe(302);
    expect(opened.headers.location).toBe('/admin/queues');
    const cookie = opened.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    expect(cookie).not.toContain(url.split('=')[1]);
    const board = await t.http.get('/admin/queues').set('cookie', cookie.split(';')[0]!);
    expect(board.status).toBe(200);
    expect(board.text).toContain('<html');
    expect(board.headers['x-powered-by']).toBeUndefined();
    const queues = await t.http.get('/admin/queues/api/queues').set('cookie', cookie.split(';')[0]!);
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('share.deliver');
    // Used once: the same ticket opens nothing again.
    expect((await t.http.get(url)).status).toBe(401);
  });

  it('refuses a ticket whose minute is over', async () => {
    const admin = await signInAdmin(t);
    const { url } = (await t.gql(TICKET, {}, { token: admin.token })).data!.createQueueBoardTicket;
    const redis = t.app.get(REDIS, { strict: false }) as Redis;
    const [key] = await redis.keys(`${t.env.redisPrefix}:board-ticket:*`);
    const unprefixed = key!.slice(t.env.redisPrefix.length + 1);
    const ttl = await redis.ttl(unprefixed);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await redis.del(unprefixed); // what Redis does when the minute is over

    expect((await t.http.get(url)).status).toBe(401);
  });

  it('reports the depth of every queue on /metrics', async () => {
    const res = await t.http.get('/metrics');
    expect(res.text).toMatch(/sharepool_queue_jobs\{queue="share.deliver",state="waiting"\} \d+/);
  });
});
