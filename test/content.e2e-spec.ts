import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../apps/api/src/graphql/global-id.js';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approve, balanceOf, eventually, nicheWith, ok, rawId, share, shareStatus, submitPost, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { htmlPage, type PageServer, startPageServer } from './support/page-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const POST_FIELDS = `id url title summary imageUrl suggestedMessage creditsPerShare budgetRemaining status rejectionReason shareCount
  viewerHasShared author { handle } niche { id }`;
const SUBMIT = `mutation($i: SubmitPostInput!) { submitPost(input: $i) { ${POST_FIELDS} } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawPost(id: $id) { id status budgetRemaining } }`;
const EDIT = `mutation($i: EditPostInput!) { editPost(input: $i) { id title summary suggestedMessage previewStatus status } }`;
const PREVIEW = `query($id: ID!) { node(id: $id) { ... on Post { title summary previewStatus previewError } } }`;
const MODERATE = `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { id status rejectionReason } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Post { ${POST_FIELDS} } } }`;
const LEDGER = `{ viewer { ledger(first: 5) { nodes { kind amount memo } } } }`;

type Author = SignedIn & { readonly niche: string };

describe('posts', () => {
  let t: TestApp;
  let admin: SignedIn;
  let moderator: SignedIn;
  let pages: PageServer;
  let sink: WebhookSinkFake;
  let pageCount = 0;
  /** A member whose submissions are all refused: their balance stays 100 throughout. */
  let refused: Author;

  beforeAll(async () => {
    pages = await startPageServer();
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
    moderator = await signUpAs(t, admin, 'MODERATOR');
    refused = await author();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
    await pages.close();
  });

  /** A page address nobody used yet (on the page server, which answers 404 unless told otherwise). */
  const freshUrl = () => pages.url(`/articles/${++pageCount}`);

  /** A new member in a niche of their own. */
  async function author(): Promise<Author> {
    const member = await signUp(t);
    return { ...member, niche: await nicheWith(t, admin, member) };
  }

  const submit = (member: Author, input: Record<string, unknown>) =>
    t.gql(
      SUBMIT,
      { i: { nicheId: member.niche, title: 'Given title', creditsPerShare: 5, budget: 20, url: freshUrl(), ...input } },
      { token: member.token },
    );

  const postAs = async (member: SignedIn | null, id: string) =>
    (await ok(t, NODE, { id }, member?.token)).node as Record<string, any> | null;

  const escrowOf = async (postId: string) => {
    const { rows } = await t.sql.query(`SELECT posted::int, pending_out::int AS "pendingOut" FROM ledger_accounts WHERE id = $1`, [
      rawId(postId),
    ]);
    return rows[0] as { posted: number; pendingOut: number };
  };

  describe('submitting', () => {
    it('creates a post awaiting review and moves its budget from the author to the post escrow (CAMPAIGN_FUNDING)', async () => {
      const member = await author();
      const niche = member.niche;
      const res = await submit(member, { creditsPerShare: 5, budget: 30, summary: '  Worth a read  ', suggestedMessage: 'Look at this' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.submitPost).toMatchObject({
        title: 'Given title',
        summary: 'Worth a read',
        suggestedMessage: 'Look at this',
        creditsPerShare: 5,
        budgetRemaining: 30,
        status: 'PENDING_REVIEW',
        rejectionReason: null,
        shareCount: 0,
        viewerHasShared: false,
        author: { handle: member.handle },
      });
      expect(res.data!.submitPost.niche.id).toBe(niche);
      expect(await balanceOf(t, member)).toBe(70);
      const ledger = await ok(t, LEDGER, {}, member.token);
      expect(ledger.viewer.ledger.nodes[0]).toMatchObject({ kind: 'CAMPAIGN_FUNDING', amount: -30 });
      expect(await escrowOf(res.data!.submitPost.id)).toEqual({ posted: 30, pendingOut: 0 });
    });

    it('answers at once, without waiting for the page to be read', async () => {
      const member = await author();
      const url = pages.url('/slow-page');
      pages.serve('/slow-page', { delayMs: 3000, body: htmlPage('<meta property="og:title" content="Slow but sure">') });
      const started = Date.now();
      const res = await submit(member, { url, title: null });
      // Well before the page could have answered.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(res.errors).toBeUndefined();
      expect(res.data!.submitPost.title).toBe(`127.0.0.1:${pages.port}/slow-page`);
      const filled = await eventually(
        () => postAs(member, res.data!.submitPost.id),
        (p) => p?.title === 'Slow but sure',
      );
      expect(filled!.title).toBe('Slow but sure');
    });

    it('refuses a budget above the available balance with INSUFFICIENT_CREDITS, leaving nothing behind', async () => {
      const member = await author();
      const res = await submit(member, { budget: 101 });
      expect(codeOf(res)).toBe('INSUFFICIENT_CREDITS');
      expect(res.errors![0]!.extensions.available).toBe(100);
      expect(await balanceOf(t, member)).toBe(100);
      const mine = await ok(t, `{ viewer { posts { totalCount } } }`, {}, member.token);
      expect(mine.viewer.posts.totalCount).toBe(0);
    });

    it('refuses a budget that cannot pay one share with INSUFFICIENT_CREDITS', async () => {
      const member = await author();
      const res = await submit(member, { creditsPerShare: 10, budget: 9 });
      expect(codeOf(res)).toBe('INSUFFICIENT_CREDITS');
      expect(res.errors![0]!.extensions).toMatchObject({ field: 'budget', available: 9, requested: 10 });
      expect(await balanceOf(t, member)).toBe(100);
    });

    it('accepts the whole balance as the budget, and exactly one share', async () => {
      const member = await author();
      expect((await submit(member, { creditsPerShare: 100, budget: 100 })).errors).toBeUndefined();
      expect(await balanceOf(t, member)).toBe(0);
    });

    it.each([0, 101, -5])('refuses %s credits per share (1 to 100)', async (creditsPerShare) => {
      const res = await submit(refused, { creditsPerShare, budget: 100 });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('creditsPerShare');
    });

    it('refuses a niche that does not exist with NOT_FOUND on nicheId', async () => {
      const member = await author();
      const res = await submit(member, { nicheId: toGlobalId('Niche', randomUUID()) });
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.errors![0]!.extensions.field).toBe('nicheId');
      expect(await balanceOf(t, member)).toBe(100);
    });
  });

  describe('the URL of a post', () => {
    it.each([
      ['ftp://files.example.com/report.pdf'],
      ['javascript:alert(1)'],
      ['mailto:someone@example.com'],
      ['file:///etc/passwd'],
      ['blog.example.com/no-scheme'],
      ['   '],
      ['https://'],
    ])('refuses %j with BAD_USER_INPUT on url', async (url) => {
      const res = await submit(refused, { url });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('url');
    });

    it('refuses a URL with a user name or password in it', async () => {
      for (const url of ['https://user:secret@blog.example.com/post', 'https://user@blog.example.com/post']) {
        const res = await submit(refused, { url });
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0]!.extensions.field).toBe('url');
      }
    });

    it('takes URLs up to 2,048 characters and refuses longer ones', async () => {
      const member = await author();
      const base = 'https://blog.example.com/';
      const longest = base + 'a'.repeat(2048 - base.length);
      const res = await submit(member, { url: longest });
      expect(res.errors).toBeUndefined();
      expect(res.data!.submitPost.url).toHaveLength(2048);
      const tooLong = await submit(member, { url: `${longest}b` });
      expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
      expect(tooLong.errors![0]!.extensions.field).toBe('url');
    });

    it('is stored normalised: lower-case host, no fragment, no tracking parameters', async () => {
      const member = await author();
      const res = await submit(member, {
        url: 'HTTPS://Blog.Example.COM:443/Guides/Start?utm_source=news&id=7&fbclid=abc&UTM_Medium=mail&sort=new#comments',
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.submitPost.url).toBe('https://blog.example.com/Guides/Start?id=7&sort=new');
    });

    it('refuses a second active post of the same page by the same author with CONFLICT, however it is written', async () => {
      const member = await author();
      const first = await submit(member, { url: 'https://news.example.org/story?id=1' });
      expect(first.errors).toBeUndefined();
      const again = await submit(member, { url: 'https://NEWS.example.org/story?id=1&utm_campaign=x#top' });
      expect(codeOf(again)).toBe('CONFLICT');
      expect(again.errors![0]!.extensions.field).toBe('url');
      expect(await balanceOf(t, member)).toBe(80);

      await approve(t, moderator, first.data!.submitPost.id);
      expect(codeOf(await submit(member, { url: 'https://news.example.org/story?id=1' }))).toBe('CONFLICT');

      // Once the first is withdrawn the page may be posted again; another author may post it any time.
      await ok(t, WITHDRAW, { id: first.data!.submitPost.id }, member.token);
      expect((await submit(member, { url: 'https://news.example.org/story?id=1' })).errors).toBeUndefined();
      const other = await author();
      expect((await submit(other, { url: 'https://news.example.org/story?id=1' })).errors).toBeUndefined();
    });

    it('allows the page again after the post was rejected', async () => {
      const member = await author();
      const first = await submit(member, { url: 'https://news.example.org/rejected-once' });
      await ok(t, MODERATE, { i: { postId: first.data!.submitPost.id, action: 'REJECT', reason: 'Off topic' } }, moderator.token);
      expect((await submit(member, { url: 'https://news.example.org/rejected-once' })).errors).toBeUndefined();
    });
  });

  it('leaves the balance of a member whose submissions were all refused untouched', async () => {
    expect(await balanceOf(t, refused)).toBe(100);
    expect((await ok(t, `{ viewer { posts { totalCount } } }`, {}, refused.token)).viewer.posts.totalCount).toBe(0);
  });

  describe('reading posts', () => {
    it("lists the author's own posts, newest first, optionally by status", async () => {
      const member = await author();
      const a = (await submit(member, {})).data!.submitPost.id;
      const b = (await submit(member, {})).data!.submitPost.id;
      const c = (await submit(member, {})).data!.submitPost.id;
      await approve(t, moderator, b);
      await ok(t, WITHDRAW, { id: c }, member.token);
      const posts = async (status: string | null) =>
        (
          await ok(
            t,
            `query($s: PostStatus) { viewer { posts(status: $s) { totalCount nodes { id status } } } }`,
            { s: status },
            member.token,
          )
        ).viewer.posts;
      expect(await posts(null)).toEqual({
        totalCount: 3,
        nodes: [
          { id: c, status: 'WITHDRAWN' },
          { id: b, status: 'APPROVED' },
          { id: a, status: 'PENDING_REVIEW' },
        ],
      });
      expect(await posts('APPROVED')).toEqual({ totalCount: 1, nodes: [{ id: b, status: 'APPROVED' }] });
      expect(await posts('PENDING_REVIEW')).toEqual({ totalCount: 1, nodes: [{ id: a, status: 'PENDING_REVIEW' }] });
      expect(await posts('REJECTED')).toEqual({ totalCount: 0, nodes: [] });

      const page1 = await ok(t, `{ viewer { posts(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, {}, member.token);
      expect(page1.viewer.posts.nodes.map((p: { id: string }) => p.id)).toEqual([c, b]);
      const page2 = await ok(
        t,
        `query($after: String) { viewer { posts(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage } } } }`,
        { after: page1.viewer.posts.pageInfo.endCursor },
        member.token,
      );
      expect(page2.viewer.posts).toEqual({ nodes: [{ id: a }], pageInfo: { hasNextPage: false } });
    });

    it('shows a post under review to its author and to moderators only; an approved one to everyone', async () => {
      const member = await author();
      const stranger = await signUp(t);
      const id = (await submit(member, {})).data!.submitPost.id;
      expect((await postAs(member, id))!.status).toBe('PENDING_REVIEW');
      expect((await postAs(moderator, id))!.status).toBe('PENDING_REVIEW');
      expect(await postAs(stranger, id)).toBeNull();
      expect(await postAs(null, id)).toBeNull();
      await approve(t, moderator, id);
      expect(await postAs(stranger, id)).toMatchObject({
        id,
        status: 'APPROVED',
        viewerHasShared: false,
        author: { handle: member.handle },
      });
    });

    it('shows the rejection reason to the author, and hides the rejected post from others', async () => {
      const member = await author();
      const stranger = await signUp(t);
      const id = (await submit(member, {})).data!.submitPost.id;
      await ok(t, MODERATE, { i: { postId: id, action: 'REJECT', reason: '  Please link the original article  ' } }, moderator.token);
      expect(await postAs(member, id)).toMatchObject({ status: 'REJECTED', rejectionReason: 'Please link the original article' });
      expect(await postAs(moderator, id)).toMatchObject({ rejectionReason: 'Please link the original article' });
      expect(await postAs(stranger, id)).toBeNull();
    });

    it('uses the title as the suggested message when the author wrote none, and the address until there is a title', async () => {
      const member = await author();
      const given = (await submit(member, { title: 'My guide' })).data!.submitPost;
      expect(given.suggestedMessage).toBe('My guide');
      const untitled = (await submit(member, { title: null, url: 'https://blog.example.com/untitled' })).data!.submitPost;
      expect(untitled).toMatchObject({ title: 'blog.example.com/untitled', suggestedMessage: 'blog.example.com/untitled' });
    });
  });

  describe('editing a post', () => {
    it('lets the author give the title and summary the page could not, while the post waits for review', async () => {
      const member = await author();
      const id = (await submit(member, { url: pages.url('/unreadable'), title: null })).data!.submitPost.id;
      await eventually(
        async () => (await ok(t, PREVIEW, { id }, member.token)).node.previewStatus,
        (status) => status === 'FAILED',
      );
      const edited = await ok(t, EDIT, { i: { id, title: '  The real title ', summary: 'What it is about' } }, member.token);
      expect(edited.editPost).toEqual({
        id,
        title: 'The real title',
        summary: 'What it is about',
        suggestedMessage: 'The real title',
        previewStatus: 'FAILED',
        status: 'PENDING_REVIEW',
      });
      expect(await postAs(moderator, id)).toMatchObject({ title: 'The real title', summary: 'What it is about' });
    });

    it('leaves a field that is left out as it is, and goes back to the address for an empty title', async () => {
      const member = await author();
      const id = (await submit(member, { title: 'First title', summary: 'First summary' })).data!.submitPost.id;
      expect((await ok(t, EDIT, { i: { id, summary: 'Second summary' } }, member.token)).editPost).toMatchObject({
        title: 'First title',
        summary: 'Second summary',
      });
      const cleared = (await ok(t, EDIT, { i: { id, title: '   ', summary: null } }, member.token)).editPost;
      expect(cleared.title).toBe((await postAs(member, id))!.url.replace(/^https?:\/\//, ''));
      expect(cleared.summary).toBeNull();
    });

    it('keeps what the author wrote when the page is read after the edit', async () => {
      const member = await author();
      pages.serve('/slow-to-read', { status: 503, body: htmlPage('<title>Busy</title>') });
      const id = (await submit(member, { url: pages.url('/slow-to-read'), title: null })).data!.submitPost.id;
      await eventually(
        async () => pages.requested.filter((path) => path === '/slow-to-read').length,
        (n) => n >= 1,
      );
      await ok(t, EDIT, { i: { id, title: 'Written by the author' } }, member.token);
      pages.serve('/slow-to-read', {
        body: htmlPage('<meta property="og:title" content="Page title"><meta property="og:description" content="Page summary">'),
      });
      const read = await eventually(
        async () => (await ok(t, PREVIEW, { id }, member.token)).node,
        (post) => post.previewStatus === 'DONE',
      );
      expect(read).toMatchObject({ title: 'Written by the author', summary: 'Page summary' });
    });

    it('refuses to edit an approved post with CONFLICT, changing nothing', async () => {
      const member = await author();
      const id = (await submit(member, { title: 'Approved as is' })).data!.submitPost.id;
      await approve(t, moderator, id);
      const res = await t.gql(EDIT, { i: { id, title: 'Something else' } }, { token: member.token });
      expect(codeOf(res)).toBe('CONFLICT');
      expect((await postAs(member, id))!.title).toBe('Approved as is');
    });

    it("answers NOT_FOUND for another member's post, even a moderator's attempt", async () => {
      const member = await author();
      const other = await signUp(t);
      const id = (await submit(member, { title: 'Mine' })).data!.submitPost.id;
      expect(codeOf(await t.gql(EDIT, { i: { id, title: 'Theirs' } }, { token: other.token }))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(EDIT, { i: { id, title: 'Theirs' } }, { token: moderator.token }))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(EDIT, { i: { id, title: 'Theirs' } }))).toBe('UNAUTHENTICATED');
      expect((await postAs(member, id))!.title).toBe('Mine');
    });

    it('refuses a title over 200 or a summary over 500 characters with BAD_USER_INPUT on that field', async () => {
      const member = await author();
      const id = (await submit(member, { title: 'Short', summary: 'Brief' })).data!.submitPost.id;
      const long = await t.gql(EDIT, { i: { id, title: 'x'.repeat(201), summary: 'Kept?' } }, { token: member.token });
      expect(long.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
      const longSummary = await t.gql(EDIT, { i: { id, summary: 'y'.repeat(501) } }, { token: member.token });
      expect(longSummary.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'summary' });
      expect(await postAs(member, id)).toMatchObject({ title: 'Short', summary: 'Brief' });
    });
  });

  describe('the page preview', () => {
    it("fills the empty title, summary and image from the page's Open Graph tags shortly after submission", async () => {
      const member = await author();
      pages.serve('/og', {
        body: htmlPage(`<title>Plain title</title>
          <meta property="og:title" content="The Open Graph title">
          <meta property="og:description" content="What the article says">
          <meta property="og:image" content="/images/cover.png">`),
      });
      const res = await submit(member, { url: pages.url('/og'), title: null });
      const id = res.data!.submitPost.id;
      const filled = await eventually(
        () => postAs(member, id),
        (p) => p?.imageUrl !== null,
      );
      expect(filled).toMatchObject({
        title: 'The Open Graph title',
        summary: 'What the article says',
        imageUrl: pages.url('/images/cover.png'),
        suggestedMessage: 'The Open Graph title',
      });
      const { rows } = await t.sql.query(`SELECT preview_status FROM posts WHERE id = $1`, [rawId(id)]);
      expect(rows[0].preview_status).toBe('DONE');
    });

    it('reads the Twitter card, then <title>, when there is no Open Graph', async () => {
      const member = await author();
      pages.serve('/card', {
        body: htmlPage(`<title>Plain</title><meta name="twitter:title" content="Card title">
          <meta name="description" content="The meta description"><meta name="twitter:image" content="https://cdn.example.com/card.jpg">`),
      });
      pages.serve('/plain', { body: htmlPage('<title>  Only a   title </title>') });
      const card = (await submit(member, { url: pages.url('/card'), title: null })).data!.submitPost.id;
      const plain = (await submit(member, { url: pages.url('/plain'), title: null })).data!.submitPost.id;
      expect(
        await eventually(
          () => postAs(member, card),
          (p) => p?.title !== `127.0.0.1:${pages.port}/card`,
        ),
      ).toMatchObject({ title: 'Card title', summary: 'The meta description', imageUrl: 'https://cdn.example.com/card.jpg' });
      expect(
        await eventually(
          () => postAs(member, plain),
          (p) => p?.title !== `127.0.0.1:${pages.port}/plain`,
        ),
      ).toMatchObject({ title: 'Only a title', summary: null, imageUrl: null });
    });

    it('never overwrites what the member wrote', async () => {
      const member = await author();
      const page = {
        body: htmlPage(`<meta property="og:title" content="Page title"><meta property="og:description" content="Page summary">
          <meta property="og:image" content="https://cdn.example.com/kept.png">`),
      };
      pages.serve('/kept', page);
      pages.serve('/kept-too', page);
      const id = (await submit(member, { url: pages.url('/kept'), title: 'My own title', summary: null })).data!.submitPost.id;
      const filled = await eventually(
        () => postAs(member, id),
        (p) => p?.imageUrl !== null,
      );
      expect(filled).toMatchObject({ title: 'My own title', summary: 'Page summary', imageUrl: 'https://cdn.example.com/kept.png' });

      const both = (await submit(member, { url: pages.url('/kept-too'), title: 'Mine', summary: 'My summary' })).data!.submitPost.id;
      await eventually(
        async () => (await t.sql.query(`SELECT preview_status FROM posts WHERE id = $1`, [rawId(both)])).rows[0].preview_status,
        (status) => status === 'DONE',
      );
      expect(await postAs(member, both)).toMatchObject({
        title: 'Mine',
        summary: 'My summary',
        imageUrl: 'https://cdn.example.com/kept.png',
      });
    });

    it('tells the author and moderators why the page could not be read (previewStatus FAILED), and no one else', async () => {
      const member = await author();
      const stranger = await signUp(t);
      const id = (await submit(member, { url: pages.url('/gone'), title: null })).data!.submitPost.id;
      const seen = await eventually(
        async () => (await ok(t, PREVIEW, { id }, member.token)).node,
        (post) => post.previewStatus !== 'PENDING',
      );
      expect(seen).toEqual({
        title: `127.0.0.1:${pages.port}/gone`,
        summary: null,
        previewStatus: 'FAILED',
        previewError: 'The page could not be loaded (the site answered with status 404)',
      });
      expect((await ok(t, PREVIEW, { id }, moderator.token)).node.previewError).toBe(seen.previewError);
      await approve(t, moderator, id);
      expect((await ok(t, PREVIEW, { id }, stranger.token)).node).toMatchObject({ previewStatus: 'FAILED', previewError: null });
    });

    it('says PENDING until the page was read, then DONE', async () => {
      const member = await author();
      pages.serve('/read-later', { body: htmlPage('<title>Read at last</title>') });
      const id = (await submit(member, { url: pages.url('/read-later'), title: null })).data!.submitPost.id;
      const first = (await ok(t, PREVIEW, { id }, member.token)).node;
      // The job may already have run; either way the title and the status agree.
      expect([first.previewStatus, first.title]).toEqual(
        first.previewStatus === 'DONE' ? ['DONE', 'Read at last'] : ['PENDING', `127.0.0.1:${pages.port}/read-later`],
      );
      expect(
        await eventually(
          async () => (await ok(t, PREVIEW, { id }, member.token)).node,
          (post) => post.previewStatus !== 'PENDING',
        ),
      ).toMatchObject({ previewStatus: 'DONE', title: 'Read at last', previewError: null });
    });

    it('keeps the address as the title when the page cannot be read, and the post stays submitted', async () => {
      const member = await author();
      const url = pages.url('/missing-page');
      const id = (await submit(member, { url, title: null })).data!.submitPost.id;
      const { preview_status } = await eventually(
        async () => (await t.sql.query(`SELECT preview_status, preview_error FROM posts WHERE id = $1`, [rawId(id)])).rows[0],
        (row) => row.preview_status !== 'PENDING',
      );
      expect(preview_status).toBe('FAILED');
      expect(await postAs(member, id)).toMatchObject({
        title: `127.0.0.1:${pages.port}/missing-page`,
        summary: null,
        imageUrl: null,
        status: 'PENDING_REVIEW',
      });
    });

    it('tries again when the site answers with a server error, and fills the preview once it answers', async () => {
      const member = await author();
      pages.serve('/flaky', { status: 503, body: htmlPage('<title>Down for maintenance</title>') });
      const id = (await submit(member, { url: pages.url('/flaky'), title: null })).data!.submitPost.id;
      await eventually(
        async () => pages.requested.filter((path) => path === '/flaky').length,
        (n) => n >= 1,
      );
      pages.serve('/flaky', { body: htmlPage('<title>Back up</title>') });
      const filled = await eventually(
        () => postAs(member, id),
        (p) => p?.title === 'Back up',
      );
      expect(filled!.title).toBe('Back up');
    });

    it('does not follow a redirect to the cloud metadata address, even where private addresses are allowed', async () => {
      const member = await author();
      pages.serve('/to-metadata', { status: 302, location: 'http://169.254.169.254/latest/meta-data/' });
      const id = (await submit(member, { url: pages.url('/to-metadata'), title: null })).data!.submitPost.id;
      const row = await eventually(
        async () => (await t.sql.query(`SELECT preview_status, preview_error FROM posts WHERE id = $1`, [rawId(id)])).rows[0],
        (r) => r.preview_status !== 'PENDING',
      );
      expect(row).toEqual({ preview_status: 'FAILED', preview_error: expect.stringContaining('not a public internet address') });
      expect(pages.requested).toContain('/to-metadata');
      expect((await postAs(member, id))!.title).toBe(`127.0.0.1:${pages.port}/to-metadata`);
    });
  });

  describe('the life cycle', () => {
    it('returns the whole budget when a post under review is withdrawn (CAMPAIGN_REFUND)', async () => {
      const member = await author();
      const id = (await submit(member, { budget: 40 })).data!.submitPost.id;
      expect(await balanceOf(t, member)).toBe(60);
      const res = await ok(t, WITHDRAW, { id }, member.token);
      expect(res.withdrawPost).toEqual({ id, status: 'WITHDRAWN', budgetRemaining: 0 });
      expect(await balanceOf(t, member)).toBe(100);
      const ledger = await ok(t, LEDGER, {}, member.token);
      expect(ledger.viewer.ledger.nodes[0]).toMatchObject({ kind: 'CAMPAIGN_REFUND', amount: 40 });
      expect(await escrowOf(id)).toEqual({ posted: 0, pendingOut: 0 });
    });

    it('returns the whole budget when a post is rejected', async () => {
      const member = await author();
      const id = (await submit(member, { budget: 25 })).data!.submitPost.id;
      await ok(t, MODERATE, { i: { postId: id, action: 'REJECT', reason: 'Not in this niche' } }, moderator.token);
      expect(await balanceOf(t, member)).toBe(100);
      expect(await escrowOf(id)).toEqual({ posted: 0, pendingOut: 0 });
    });

    it('withdraws an approved post, which leaves the feed', async () => {
      const member = await author();
      const niche = member.niche;
      const peer = await signUp(t);
      await ok(t, `mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: niche }, peer.token);
      const id = (await submit(member, {})).data!.submitPost.id;
      await approve(t, moderator, id);
      const feed = async () => (await ok(t, `{ shareFeed { nodes { id } } }`, {}, peer.token)).shareFeed.nodes;
      expect(await feed()).toEqual([{ id }]);
      expect((await ok(t, WITHDRAW, { id }, member.token)).withdrawPost.status).toBe('WITHDRAWN');
      expect(await feed()).toEqual([]);
      expect(await balanceOf(t, member)).toBe(100);
    });

    it('refuses every transition outside the table with CONFLICT', async () => {
      const member = await author();
      const withdrawn = (await submit(member, {})).data!.submitPost.id;
      await ok(t, WITHDRAW, { id: withdrawn }, member.token);
      const rejected = (await submit(member, {})).data!.submitPost.id;
      await ok(t, MODERATE, { i: { postId: rejected, action: 'REJECT', reason: 'Spam' } }, moderator.token);
      const approved = (await submit(member, {})).data!.submitPost.id;
      await approve(t, moderator, approved);

      const attempts = [
        () => t.gql(WITHDRAW, { id: withdrawn }, { token: member.token }),
        () => t.gql(WITHDRAW, { id: rejected }, { token: member.token }),
        ...[withdrawn, rejected, approved].flatMap((postId) => [
          () => t.gql(MODERATE, { i: { postId, action: 'APPROVE' } }, { token: moderator.token }),
          () => t.gql(MODERATE, { i: { postId, action: 'REJECT', reason: 'Changed my mind' } }, { token: moderator.token }),
        ]),
      ];
      for (const attempt of attempts) expect(codeOf(await attempt())).toBe('CONFLICT');
      const statuses = await Promise.all([withdrawn, rejected, approved].map(async (id) => (await postAs(member, id))!.status));
      expect(statuses).toEqual(['WITHDRAWN', 'REJECTED', 'APPROVED']);
      expect(await balanceOf(t, member)).toBe(80);
    });

    it("refuses to withdraw another member's post with NOT_FOUND", async () => {
      const member = await author();
      const other = await signUp(t);
      const id = (await submit(member, {})).data!.submitPost.id;
      expect(codeOf(await t.gql(WITHDRAW, { id }, { token: other.token }))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(WITHDRAW, { id }, { token: moderator.token }))).toBe('NOT_FOUND');
      expect((await postAs(member, id))!.status).toBe('PENDING_REVIEW');
    });

    it('returns to the author the credits of a share that ends while the post is being withdrawn', async () => {
      const member = await author();
      const sharer = await signUp(t);
      const channel = await webhookChannel(t, sharer, sink);
      // The race needs the author's account locked before the escrow's (locks go in id order): a post id above theirs.
      let id = await submitPost(t, member, member.niche, { creditsPerShare: 10, budget: 50 });
      while (rawId(id) < rawId(member.id)) {
        await ok(t, WITHDRAW, { id }, member.token);
        id = await submitPost(t, member, member.niche, { creditsPerShare: 10, budget: 50 });
      }
      await approve(t, moderator, id);
      const scheduled = await share(t, sharer, id, [channel], { scheduledFor: new Date(Date.now() + 120_000).toISOString() });
      const shareId = scheduled.data!.sharePost[0].id;

      // Hold the author's account so the withdrawal stops right where it moves credits back to them…
      const blocker = await t.sql.connect();
      let withdrawal: Promise<unknown>;
      let cancelling: Promise<{ cancelShare: { status: string } }>;
      try {
        await blocker.query('BEGIN');
        await blocker.query(`SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE`, [rawId(member.id)]);
        withdrawal = ok(t, WITHDRAW, { id }, member.token);
        await eventually(
          async () =>
            (
              await t.sql.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            ).rows[0].n,
          (n) => n > 0,
        );
        // …while the share is cancelled and releases its hold into the escrow (it may wait for the withdrawal's post lock).
        cancelling = ok(t, `mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: shareId }, sharer.token);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
      }
      await withdrawal;
      expect((await cancelling).cancelShare.status).toBe('CANCELLED');
      expect(await escrowOf(id)).toEqual({ posted: 0, pendingOut: 0 });
      expect(await balanceOf(t, member)).toBe(100);
    });

    it('keeps the credits of a share in flight held after withdrawal, then returns them to the author when it ends', async () => {
      const member = await author();
      const niche = member.niche;
      const sharer = await signUp(t);
      await ok(t, `mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: niche }, sharer.token);
      const id = await submitPost(t, member, niche, { creditsPerShare: 10, budget: 50 });
      await approve(t, moderator, id);
      const channel = await webhookChannel(t, sharer, sink);
      const scheduled = await share(t, sharer, id, [channel], { scheduledFor: new Date(Date.now() + 3000).toISOString() });
      expect(scheduled.errors).toBeUndefined();
      const shareId = scheduled.data!.sharePost[0].id;

      const withdrawn = await ok(t, WITHDRAW, { id }, member.token);
      expect(withdrawn.withdrawPost).toMatchObject({ status: 'WITHDRAWN', budgetRemaining: 0 });
      // The 40 not held came back; the 10 held by the scheduled share stay in the escrow.
      expect(await balanceOf(t, member)).toBe(90);
      expect(await escrowOf(id)).toEqual({ posted: 10, pendingOut: 10 });

      const ended = await eventually(
        () => shareStatus(t, sharer, shareId),
        (s) => s.status !== 'SCHEDULED',
      );
      expect(ended).toMatchObject({ status: 'CANCELLED', creditsEarned: 0 });
      expect(ended.failureReason).toMatch(/withdrawn/);
      expect(await escrowOf(id)).toEqual({ posted: 0, pendingOut: 0 });
      expect(await balanceOf(t, member)).toBe(100);
      expect(await balanceOf(t, sharer)).toBe(100);
      expect(sink.timesReceived(rawId(shareId))).toBe(0);
      const ledger = await ok(t, LEDGER, {}, member.token);
      expect(ledger.viewer.ledger.nodes.slice(0, 2)).toEqual([
        expect.objectContaining({ kind: 'CAMPAIGN_REFUND', amount: 10 }),
        expect.objectContaining({ kind: 'CAMPAIGN_REFUND', amount: 40 }),
      ]);
    });
  });
});
