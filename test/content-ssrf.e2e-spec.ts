import { approve, eventually, nicheWith, ok, rawId } from './support/flows.js';
import { signInAdmin, signUp, type SignedIn } from './support/members.js';
import { htmlPage, type PageServer, startPageServer } from './support/page-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SUBMIT = `mutation($i: SubmitPostInput!) { submitPost(input: $i) { id status title summary imageUrl } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Post { status title summary imageUrl } } }`;

/*
 * Page previews as in production: OUTBOUND_ALLOW_PRIVATE is off, so Sharepool
 * reads public pages only. Every page below is on a local page server (or on an
 * address that nothing here answers): none may be fetched, and the member's post
 * is submitted all the same, titled by its address.
 */
describe('page previews never reach private addresses', () => {
  let t: TestApp;
  let admin: SignedIn;
  let member: SignedIn;
  let niche: string;
  let pages: PageServer;

  beforeAll(async () => {
    pages = await startPageServer();
    const article = htmlPage('<meta property="og:title" content="Internal secret"><meta property="og:image" content="/secret.png">');
    for (const path of [
      '/article',
      '/article-as-number',
      '/article-in-hex',
      '/article-mapped',
      '/article-unspecified',
      '/article-by-name',
    ]) {
      pages.serve(path, { body: article });
    }
    pages.serve('/redirect', { status: 302, location: `http://127.0.0.1:${pages.port}/article` });
    t = await startTestApp({ worker: true, env: { OUTBOUND_ALLOW_PRIVATE: 'false' } });
    admin = await signInAdmin(t);
    member = await signUp(t);
    niche = await nicheWith(t, admin, member);
  });
  afterAll(async () => {
    await t.close();
    await pages.close();
  });

  // PORT is the page server's port, known once it listens. Several of these normalise to the same URL: each gets its own path.
  it.each([
    ['the loopback address', 'http://127.0.0.1:PORT/article'],
    ['the IPv6 loopback address', 'http://[::1]:PORT/article'],
    ['loopback written as one number', 'http://2130706433:PORT/article-as-number'],
    ['loopback written in hex', 'http://0x7f.0.0.1:PORT/article-in-hex'],
    ['loopback as an IPv4-mapped IPv6 address', 'http://[::ffff:127.0.0.1]:PORT/article-mapped'],
    ['the unspecified address 0.0.0.0', 'http://0.0.0.0:PORT/article-unspecified'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['a private network address', 'http://10.0.0.7/intranet'],
    ['a host name that resolves to loopback', 'http://localhost:PORT/article-by-name'],
    ['a page that redirects to loopback', 'http://127.0.0.1:PORT/redirect'],
  ])('does not fetch a page at %s, and the post is still submitted', async (_what, template) => {
    const url = template.replace('PORT', String(pages.port));
    const requestsBefore = pages.requested.length;
    const started = Date.now();
    const res = await t.gql(SUBMIT, { i: { url, nicheId: niche, creditsPerShare: 1, budget: 1 } }, { token: member.token });
    expect(res.errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1500);
    const post = res.data!.submitPost;
    const addressTitle = post.title as string;
    expect(post).toMatchObject({ status: 'PENDING_REVIEW', summary: null, imageUrl: null });
    expect(addressTitle).not.toMatch(/^https?:/);

    const preview = await eventually(
      async () => (await t.sql.query(`SELECT preview_status, preview_error FROM posts WHERE id = $1`, [rawId(post.id)])).rows[0],
      (row) => row.preview_status !== 'PENDING',
    );
    expect(preview).toEqual({ preview_status: 'FAILED', preview_error: expect.stringMatching(/is not a public internet address$/) });
    expect(await ok(t, NODE, { id: post.id }, member.token)).toEqual({
      node: { status: 'PENDING_REVIEW', title: addressTitle, summary: null, imageUrl: null },
    });
    expect(pages.requested.length).toBe(requestsBefore);
  });

  it('lets a moderator approve a post whose preview was refused', async () => {
    const res = await ok(
      t,
      SUBMIT,
      { i: { url: `http://127.0.0.1:${pages.port}/article?again=1`, nicheId: niche, creditsPerShare: 1, budget: 1 } },
      member.token,
    );
    await approve(t, admin, res.submitPost.id);
    expect((await ok(t, NODE, { id: res.submitPost.id }, member.token)).node.status).toBe('APPROVED');
    expect(pages.requested).toEqual([]);
  });
});
