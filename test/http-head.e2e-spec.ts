import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Uptime monitors and link checkers send HEAD: it answers wherever GET does, with GET's status and headers and no body. */
describe('HEAD requests', () => {
  let t: TestApp;
  const web = mkdtempSync(join(tmpdir(), 'sharepool-web-'));

  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Sharepool</title><div id="root"></div>');
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
    t = await startTestApp({ webDir: web });
  });
  afterAll(async () => {
    await t.close();
    rmSync(web, { recursive: true, force: true });
  });

  it.each(['/', '/feed', '/posts?status=APPROVED', '/admin/members'])(
    'answers HEAD %s like GET: the web app, without a body',
    async (path) => {
      const get = await t.http.get(path).set('accept', 'text/html');
      const head = await t.http.head(path); // as a monitor sends it: no Accept header
      expect(get.status).toBe(200);
      expect(get.text).toContain('<div id="root">');
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text ?? '').toBe('');
    },
  );

  it('answers HEAD for a file of the web app', async () => {
    const head = await t.http.head('/assets/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/javascript/);
  });

  it.each(['/health', '/ready', '/metrics'])('answers HEAD %s with the status GET has', async (path) => {
    const get = await t.http.get(path);
    const head = await t.http.head(path);
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.text ?? '').toBe('');
  });

  it('still answers 404 to HEAD where GET has nothing', async () => {
    expect((await t.http.get('/no-such-file.png').set('accept', 'image/png')).status).toBe(404);
    expect((await t.http.head('/no-such-file.png').set('accept', 'image/png')).status).toBe(404);
  });
});
