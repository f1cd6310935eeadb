import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { TEST_SECRETS } from '@sharepool/testing';
import { codeOf, signInAdmin, signUp } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }`;

/** A built web client as Vite lays it out: the app, GraphiQL and an asset. */
function webFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sharepool-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>',
  );
  writeFileSync(join(dir, 'graphiql.html'), '<!doctype html><html><body><div id="graphiql"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")');
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** pino's JSON lines, kept for reading. */
function logCapture() {
  const lines: Array<{ level: number; msg: string; context?: string }> = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line)) };
}

const CSP_RULES = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"];

function expectSecurityHeaders(res: supertest.Response, what: string) {
  const headers = res.headers;
  const csp = headers['content-security-policy'] ?? '';
  for (const rule of CSP_RULES) expect({ what, csp: csp.includes(rule) }).toEqual({ what, csp: true });
  expect({ what, nosniff: headers['x-content-type-options'] }).toEqual({ what, nosniff: 'nosniff' });
  expect({ what, referrer: headers['referrer-policy'] }).toEqual({ what, referrer: 'strict-origin-when-cross-origin' });
  expect({ what, frame: headers['x-frame-options'] }).toEqual({ what, frame: 'DENY' });
  expect({ what, poweredBy: headers['x-powered-by'] }).toEqual({ what, poweredBy: undefined });
}

/**
 * Each block runs one app at a time: Passport keeps its strategies per process, so a second
 * API app in the same process would authenticate the first one's tokens against its own database.
 */
describe('the HTTP surface’s security', () => {
  describe('in development', () => {
    const web = webFixture();
    const log = logCapture();
    let dev: TestApp;

    beforeAll(async () => {
      dev = await startTestApp({
        webDir: web,
        logTo: log,
        env: { NODE_ENV: 'development', LOG_LEVEL: 'debug', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '3' },
      });
    });
    afterAll(async () => {
      await dev?.close();
      rmSync(web, { recursive: true, force: true });
    });

    it('sends a strict CSP, nosniff, no framing, a referrer policy and no X-Powered-By on every kind of answer', async () => {
      const admin = await signInAdmin(dev);
      const ticket = (await dev.gql(`mutation { createQueueBoardTicket { url } }`, {}, { token: admin.token })).data!.createQueueBoardTicket
        .url as string;
      const opened = await dev.http.get(ticket);
      const boardCookie = opened.headers['set-cookie']![0]!.split(';')[0]!;
      const answers: Array<[string, supertest.Response]> = [
        ['the web app', await dev.http.get('/').set('accept', 'text/html')],
        ['a client-side route', await dev.http.get('/wallet').set('accept', 'text/html')],
        ['an asset', await dev.http.get('/assets/app.js')],
        ['GraphQL', await dev.http.post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' })],
        ['health', await dev.http.get('/health')],
        ['the session refresh', await dev.http.post('/auth/session/refresh')],
        ['the queue board refusing', await dev.http.get('/admin/queues')],
        ['the queue board opening', opened],
        ['the queue board', await dev.http.get('/admin/queues').set('cookie', boardCookie)],
        ['the queue board API', await dev.http.get('/admin/queues/api/queues').set('cookie', boardCookie)],
        ['a 404', await dev.http.get('/no/such/thing.json').set('accept', 'application/json')],
        ['GraphiQL', await dev.http.get('/graphiql')],
      ];
      expect(answers.find(([what]) => what === 'the queue board')![1].status).toBe(200);
      expect(answers.find(([what]) => what === 'a 404')![1].status).toBe(404);
      for (const [what, res] of answers) expectSecurityHeaders(res, what);
    });

    it('allows inline styles on GraphiQL and the queue board only, and never inline scripts', async () => {
      const app = (await dev.http.get('/').set('accept', 'text/html')).headers['content-security-policy']!;
      const graphiql = (await dev.http.get('/graphiql')).headers['content-security-policy']!;
      const board = (await dev.http.get('/admin/queues')).headers['content-security-policy']!;
      expect(app).toMatch(/style-src 'self';/);
      expect(graphiql).toMatch(/style-src 'self' 'unsafe-inline'/);
      expect(board).toMatch(/style-src 'self' 'unsafe-inline'/);
      for (const csp of [app, graphiql, board]) expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    });

    it('sends no HSTS outside production', async () => {
      expect((await dev.http.get('/health')).headers['strict-transport-security']).toBeUndefined();
    });

    it('leaves the metrics open outside production', async () => {
      expect((await dev.http.get('/metrics')).status).toBe(200);
    });

    it('suggests field names outside production', async () => {
      expect((await dev.gql(`{ viewr { email } }`)).errors![0]!.message).toMatch(/Did you mean/);
    });

    describe('registration', () => {
      const register = (n: string, from: string) =>
        dev.gql(
          REGISTER,
          { input: { email: `reg${n}@example.com`, password: 'a long and unusual passphrase', handle: `reg_${n}`, displayName: 'R' } },
          { headers: { 'x-forwarded-for': from } },
        );

      it('lets one address register REGISTRATIONS_PER_ADDRESS_PER_HOUR accounts an hour, then says when to retry', async () => {
        for (let i = 0; i < 3; i++) expect((await register(`a${i}`, '203.0.113.9')).errors).toBeUndefined();
        const refused = await register('a3', '203.0.113.9');
        expect(codeOf(refused)).toBe('RATE_LIMITED');
        expect(refused.errors![0]!.extensions.retryAfter).toBeGreaterThan(3500);
        expect(refused.errors![0]!.extensions.retryAfter).toBeLessThanOrEqual(3600);
        expect(refused.errors![0]!.message).toMatch(/Try again in 60 minutes/);
        expect((await register('b0', '203.0.113.10')).errors).toBeUndefined();
        const { rows } = await dev.sql.query(`SELECT count(*)::int AS n FROM members WHERE email LIKE 'rega%'`);
        expect(rows[0].n).toBe(3);
      });

      it('does not count input mistakes against the address', async () => {
        for (let i = 0; i < 5; i++) {
          const res = await dev.gql(
            REGISTER,
            { input: { email: 'not-an-email', password: 'a long and unusual passphrase', handle: `bad_${i}`, displayName: 'B' } },
            { headers: { 'x-forwarded-for': '203.0.113.11' } },
          );
          expect(codeOf(res)).toBe('BAD_USER_INPUT');
        }
        expect((await register('c0', '203.0.113.11')).errors).toBeUndefined();
      });
    });

    it('believes X-Forwarded-Proto from a loopback proxy by default: cookies are Secure behind HTTPS in development', async () => {
      const overHttps = await loginWithCookie(dev, { 'x-forwarded-proto': 'https' });
      expect((overHttps.headers['set-cookie'] as unknown as string[]).every((c: string) => /; Secure/.test(c))).toBe(true);
      const overHttp = await loginWithCookie(dev, {});
      expect((overHttp.headers['set-cookie'] as unknown as string[]).some((c: string) => /; Secure/.test(c))).toBe(false);
    });

    it('logs client mistakes below error level and keeps error for the unexpected', async () => {
      const m = await signUp(dev);
      log.lines.length = 0;
      await dev.gql(
        LOGIN,
        { input: { email: m.email, password: 'wrong password here' } },
        { headers: { 'x-forwarded-for': '198.51.100.200' } },
      );
      await dev.gql(
        REGISTER,
        { input: { email: m.email, password: 'a long and unusual passphrase', handle: 'someone_else', displayName: 'S' } },
        { headers: { 'x-forwarded-for': '198.51.100.201' } },
      );
      await dev.gql(`mutation { createQueueBoardTicket { url } }`, {}, { token: m.token });
      const domain = log.lines.filter((l) => l.context === 'DomainErrors');
      expect(domain.map((l) => l.msg)).toEqual([
        'UNAUTHENTICATED: Email or password is incorrect',
        expect.stringMatching(/^CONFLICT: /),
        'FORBIDDEN: The queue board is for admins only',
      ]);
      expect(domain.every((l) => l.level === 20)).toBe(true);
      expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);

      await dev.sql.query(`ALTER TABLE niches RENAME TO niches_away`);
      try {
        expect(codeOf(await dev.gql('{ niches { id } }'))).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        await dev.sql.query(`ALTER TABLE niches_away RENAME TO niches`);
      }
      const errors = log.lines.filter((l) => l.level >= 50).map((l) => l.msg);
      expect(errors).toContainEqual(expect.stringMatching(/^Unexpected error/));
      expect(errors.every((msg) => msg.includes('relation "niches" does not exist'))).toBe(true);
    });
  });

  describe('in production', () => {
    const web = webFixture();
    let prod: TestApp;

    beforeAll(async () => {
      prod = await startTestApp({ webDir: web, env: { NODE_ENV: 'production', OUTBOUND_ALLOW_PRIVATE: 'false', METRICS_TOKEN } });
    });
    afterAll(async () => {
      await prod?.close();
      rmSync(web, { recursive: true, force: true });
    });

    it('sends the same headers, and HSTS', async () => {
      const answers: Array<[string, supertest.Response]> = [
        ['GraphQL', await prod.http.post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' })],
        ['the web app', await prod.http.get('/').set('accept', 'text/html')],
        ['health', await prod.http.get('/health')],
        ['GraphiQL (not served)', await prod.http.get('/graphiql').set('accept', 'application/json')],
      ];
      for (const [what, res] of answers) {
        expectSecurityHeaders(res, what);
        expect({ what, hsts: res.headers['strict-transport-security'] }).toEqual({ what, hsts: 'max-age=31536000; includeSubDomains' });
      }
    });

    it('serves the metrics only with the METRICS_TOKEN bearer token', async () => {
      expect((await prod.http.get('/metrics')).status).toBe(401);
      expect((await prod.http.get('/metrics').set('authorization', 'Bearer not-the-token')).status).toBe(401);
      const res = await prod.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('sharepool_http_request_duration_seconds');
    });

    it('answers introspection by default, the contract being public', async () => {
      const res = await prod.gql(`{ __schema { queryType { name } } }`);
      expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });

    it('suggests no field names by default', async () => {
      const res = await prod.gql(`{ viewr { email } }`);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).not.toMatch(/Did you mean/);
    });
  });

  describe('in production with METRICS_PORT', () => {
    let app: TestApp;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      app = await startTestApp({ env: { NODE_ENV: 'production', OUTBOUND_ALLOW_PRIVATE: 'false', METRICS_PORT: String(port) } });
    });
    afterAll(() => app?.close());

    it('serves the metrics on that port only', async () => {
      expect((await app.http.get('/metrics')).status).toBe(404);
      const res = await supertest(`http://127.0.0.1:${port}`).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('sharepool_http_request_duration_seconds');
      expect((await supertest(`http://127.0.0.1:${port}`).get('/graphql')).status).toBe(404);
    });
  });

  describe('with GRAPHQL_INTROSPECTION=false and GRAPHQL_SUGGESTIONS=false', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ env: { GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SUGGESTIONS: 'false' } });
    });
    afterAll(() => app?.close());

    it('refuses introspection and suggests nothing', async () => {
      expect((await app.gql(`{ __schema { queryType { name } } }`)).errors).toBeDefined();
      expect((await app.gql(`{ viewr { email } }`)).errors![0]!.message).not.toMatch(/Did you mean/);
    });
  });

  describe('with TRUST_PROXY=false', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ env: { NODE_ENV: 'development', TRUST_PROXY: 'false' } });
    });
    afterAll(() => app?.close());

    it('believes neither a proxy’s protocol nor its client address', async () => {
      const res = await loginWithCookie(app, { 'x-forwarded-proto': 'https' });
      expect((res.headers['set-cookie'] as unknown as string[]).some((c: string) => /; Secure/.test(c))).toBe(false);
      // Five failures "from" five forwarded addresses all come from the socket's own address: the sixth is refused.
      const m = await signUp(app);
      for (let i = 0; i < 5; i++) {
        const wrong = await app.gql(
          LOGIN,
          { input: { email: m.email, password: 'wrong password here' } },
          { headers: { 'x-forwarded-for': `198.51.100.${i}` } },
        );
        expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
      }
      const sixth = await app.gql(
        LOGIN,
        { input: { email: m.email, password: m.password } },
        { headers: { 'x-forwarded-for': '198.51.100.99' } },
      );
      expect(codeOf(sixth)).toBe('RATE_LIMITED');
    });
  });
});

function loginWithCookie(app: TestApp, headers: Record<string, string>) {
  return app.http
    .post('/graphql')
    .set('content-type', 'application/json')
    .set(headers)
    .send({
      query: LOGIN,
      variables: { input: { email: TEST_SECRETS.ADMIN_EMAIL, password: TEST_SECRETS.ADMIN_PASSWORD, sessionCookie: true } },
    });
}
