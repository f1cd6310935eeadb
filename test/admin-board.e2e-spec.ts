import { signInAdmin, signUp } from './support/members.js';
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

  it('turns away a member who is not an admin', async () => {
    const member = await signUp(t);
    expect((await t.http.get('/admin/queues').set('authorization', `Bearer ${member.token}`)).status).toBe(403);
    expect((await t.http.get(`/admin/queues?token=${member.token}`)).status).toBe(403);
  });

  it('opens for an admin from a link, keeping the token in a cookie scoped to the board', async () => {
    const admin = await signInAdmin(t);
    const opened = await t.http.get(`/admin/queues?token=${admin.token}`);
    expect(opened.status).toBe(302);
    expect(opened.headers.location).toBe('/admin/queues');
    const cookie = opened.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    const board = await t.http.get('/admin/queues').set('cookie', cookie.split(';')[0]!);
    expect(board.status).toBe(200);
    expect(board.text).toContain('<html');
    const queues = await t.http.get('/admin/queues/api/queues').set('cookie', cookie.split(';')[0]!);
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).toContain('share.deliver');
  });

  it('reports the depth of every queue on /metrics', async () => {
    const res = await t.http.get('/metrics');
    expect(res.text).toMatch(/sharepool_queue_jobs\{queue="share.deliver",state="waiting"\} \d+/);
  });
});
