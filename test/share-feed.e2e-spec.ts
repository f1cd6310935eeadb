import { ShareDeliveryService } from '@sharepool/sharing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approve, approvedPost, eventually, nicheWith, ok, rawId, share, submitPost, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { countStatements } from './support/statement-counter.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const FEED = `query($first: Int, $after: String, $nicheId: ID) {
  shareFeed(first: $first, after: $after, nicheId: $nicheId) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
const FEED_CARDS = `query($first: Int) {
  shareFeed(first: $first) {
    nodes { id title creditsPerShare budgetRemaining viewerHasShared author { handle displayName } niche { slug name } }
    pageInfo { hasNextPage endCursor } } }`;

const MODERATE = `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { id } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawPost(id: $id) { id } }`;
const SUSPEND = `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`;
const CANCEL = `mutation($id: ID!) { cancelShare(id: $id) { status } }`;
const PAUSE = `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`;

/*
 * No worker here: shares are delivered by calling the delivery service itself
 * (what the worker's job does), so the feed's statement count sees this app's
 * requests only.
 */
describe('the share feed', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const feed = async (viewer: SignedIn, variables: Record<string, unknown> = {}): Promise<string[]> =>
    (await ok(t, FEED, { first: 100, ...variables }, viewer.token)).shareFeed.nodes.map((p: { id: string }) => p.id);

  /** Shares `postId` to a channel of `sharer`'s and delivers it now, as the worker would. */
  async function sharePosted(sharer: SignedIn, channel: string, postId: string): Promise<void> {
    const res = await share(t, sharer, postId, [channel]);
    expect(res.errors).toBeUndefined();
    const outcome = await t.app.get(ShareDeliveryService, { strict: false }).deliver(rawId(res.data!.sharePost[0].id));
    expect(outcome).toBe('POSTED');
  }

  /** Every id of the feed, walking pages of `first`; `between` runs after each page but the last. */
  async function walk(viewer: SignedIn, first: number, between?: (page: number) => Promise<unknown>): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const { shareFeed }: Record<string, any> = await ok(t, FEED, { first, after }, viewer.token);
      pages.push(shareFeed.nodes.map((p: { id: string }) => p.id));
      if (!shareFeed.pageInfo.hasNextPage) return pages;
      await between?.(pages.length);
      after = shareFeed.pageInfo.endCursor;
    }
  }

  it("holds only approved posts of other active members in the viewer's niches, not shared yet, with budget for a share and not paused", async () => {
    const viewer = await signUp(t);
    const author = await signUp(t);
    const suspended = await signUp(t);
    const other = await signUp(t);
    const home = await nicheWith(t, admin, viewer, author, suspended, other);
    const second = await nicheWith(t, admin, viewer, author);
    const elsewhere = await nicheWith(t, admin, author);
    const viewerChannel = await webhookChannel(t, viewer, sink);
    const otherChannel = await webhookChannel(t, other, sink);
    const post = (niche = home, options: { creditsPerShare?: number; budget?: number } = {}) =>
      submitPost(t, author, niche, { creditsPerShare: options.creditsPerShare ?? 2, budget: options.budget ?? 8 });

    const eligible = await approvedPost(t, admin, author, home, { creditsPerShare: 2, budget: 8 });
    const inSecondNiche = await approvedPost(t, admin, author, second, { creditsPerShare: 2, budget: 8 });
    const inOtherNiche = await approvedPost(t, admin, author, elsewhere, { creditsPerShare: 2, budget: 8 });
    await post(); // pending review
    const rejected = await post();
    await ok(t, MODERATE, { i: { postId: rejected, action: 'REJECT', reason: 'Off topic' } }, admin.token);
    const withdrawn = await post();
    await approve(t, admin, withdrawn);
    await ok(t, WITHDRAW, { id: withdrawn }, author.token);
    const viewersOwn = await approvedPost(t, admin, viewer, home);
    await approvedPost(t, admin, suspended, home);
    await ok(t, SUSPEND, { i: { memberId: suspended.id, reason: 'Hacked account' } }, admin.token);
    const sharedByViewer = await post();
    await approve(t, admin, sharedByViewer);
    expect((await share(t, viewer, sharedByViewer, [viewerChannel])).errors).toBeUndefined();
    const cancelledByViewer = await post();
    await approve(t, admin, cancelledByViewer);
    const cancelled = await share(t, viewer, cancelledByViewer, [viewerChannel]);
    await ok(t, CANCEL, { id: cancelled.data!.sharePost[0].id }, viewer.token);
    // One share's worth of budget, held by another member's share in flight: nothing left to pay the viewer.
    const budgetHeld = await post(home, { creditsPerShare: 8, budget: 8 });
    await approve(t, admin, budgetHeld);
    expect((await share(t, other, budgetHeld, [otherChannel])).errors).toBeUndefined();
    const paused = await post();
    await approve(t, admin, paused);
    await ok(t, PAUSE, { i: { scope: 'POST', postId: paused, reason: 'Under investigation' } }, admin.token);

    expect((await feed(viewer)).sort()).toEqual([eligible, inSecondNiche, cancelledByViewer].sort());
    expect((await feed(viewer, { nicheId: home })).sort()).toEqual([eligible, cancelledByViewer].sort());
    expect(await feed(viewer, { nicheId: second })).toEqual([inSecondNiche]);
    // A niche the viewer has not joined can still be browsed by asking for it.
    expect(await feed(viewer, { nicheId: elsewhere })).toEqual([inOtherNiche]);
    // For the author, the viewer is just another member.
    expect(await feed(author)).toEqual([viewersOwn]);

    await ok(t, RESUME, { i: { scope: 'POST', postId: paused, reason: 'Cleared' } }, admin.token);
    expect(await feed(viewer, { nicheId: home })).toContain(paused);
  });

  it('shows each post as a card with its author, niche and budget, not yet shared by the viewer', async () => {
    const viewer = await signUp(t);
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, viewer, author);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 7, budget: 21, title: 'A card' });
    const { shareFeed } = await ok(t, FEED_CARDS, { first: 10 }, viewer.token);
    expect(shareFeed.nodes).toEqual([
      {
        id: postId,
        title: 'A card',
        creditsPerShare: 7,
        budgetRemaining: 21,
        viewerHasShared: false,
        author: { handle: author.handle, displayName: expect.any(String) },
        niche: { slug: expect.any(String), name: expect.any(String) },
      },
    ]);
    expect(shareFeed.pageInfo.hasNextPage).toBe(false);
  });

  it('ranks posts of authors who shared more of the viewer’s posts first, then by credits per share, then newest', async () => {
    const viewer = await signUp(t);
    const generous = await signUp(t);
    const even = await signUp(t);
    const owing = await signUp(t);
    const niche = await nicheWith(t, admin, viewer, generous, even, owing);
    const viewerChannel = await webhookChannel(t, viewer, sink);
    const generousChannel = await webhookChannel(t, generous, sink);

    // `generous` shared one of the viewer's posts; the viewer shared one of `owing`'s.
    const viewersPost = await approvedPost(t, admin, viewer, niche, { creditsPerShare: 5, budget: 10 });
    await sharePosted(generous, generousChannel, viewersPost);
    const owingShared = await approvedPost(t, admin, owing, niche, { creditsPerShare: 5, budget: 10 });
    await sharePosted(viewer, viewerChannel, owingShared);

    const fromGenerous = await approvedPost(t, admin, generous, niche, { creditsPerShare: 1, budget: 10 });
    const evenOlderFive = await approvedPost(t, admin, even, niche, { creditsPerShare: 5, budget: 10 });
    const evenTwenty = await approvedPost(t, admin, even, niche, { creditsPerShare: 20, budget: 20 });
    const evenNewerFive = await approvedPost(t, admin, even, niche, { creditsPerShare: 5, budget: 10 });
    const fromOwing = await approvedPost(t, admin, owing, niche, { creditsPerShare: 50, budget: 50 });
    const alsoFromOwing = await approvedPost(t, admin, owing, niche, { creditsPerShare: 5, budget: 10 });

    const best = [fromGenerous, evenTwenty, evenNewerFive, evenOlderFive, fromOwing, alsoFromOwing];
    expect(await feed(viewer)).toEqual(best);
    const reciprocity = await ok(
      t,
      `{ viewer { reciprocity { nodes { peer { handle } sharesGiven sharesReceived } } } }`,
      {},
      viewer.token,
    );
    expect(reciprocity.viewer.reciprocity.nodes).toEqual(
      expect.arrayContaining([
        { peer: { handle: generous.handle }, sharesGiven: 0, sharesReceived: 1 },
        { peer: { handle: owing.handle }, sharesGiven: 1, sharesReceived: 0 },
      ]),
    );
    // Walking the same order a page at a time, with cursors in owed, credits per share and time.
    expect(await walk(viewer, 2)).toEqual([
      [fromGenerous, evenTwenty],
      [evenNewerFive, evenOlderFive],
      [fromOwing, alsoFromOwing],
    ]);
    expect((await walk(viewer, 1)).flat()).toEqual(best);
  });

  it('keeps its keyset pages stable while posts arrive and leave between pages', async () => {
    const viewer = await signUp(t);
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, viewer, author);
    const channel = await webhookChannel(t, viewer, sink);
    const ids: string[] = [];
    for (const creditsPerShare of [9, 8, 7, 6, 5, 4])
      ids.push(await approvedPost(t, admin, author, niche, { creditsPerShare, budget: creditsPerShare }));
    let arrived = '';

    const pages = await walk(viewer, 2, async (page) => {
      if (page !== 1) return;
      // A better post arrives (it belongs before the cursor), one already seen is shared, one ahead is withdrawn.
      arrived = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 10 });
      expect((await share(t, viewer, ids[0]!, [channel])).errors).toBeUndefined();
      await ok(t, WITHDRAW, { id: ids[3] }, author.token);
    });
    expect(pages).toEqual([[ids[0], ids[1]], [ids[2], ids[4]], [ids[5]]]);
    expect(await feed(viewer)).toEqual([arrived, ids[1], ids[2], ids[4], ids[5]]);
  });

  it('accepts first from 1 to 100 and only its own cursors', async () => {
    const viewer = await signUp(t);
    for (const first of [0, 101, -1]) {
      const res = await t.gql(FEED, { first }, { token: viewer.token });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('first');
    }
    const foreign = Buffer.from(JSON.stringify(['2024-01-01T00:00:00.000000Z', 'x'])).toString('base64url');
    for (const after of ['not-a-cursor', foreign]) {
      const res = await t.gql(FEED, { first: 10, after }, { token: viewer.token });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('after');
    }
    expect(codeOf(await t.gql(FEED, { first: 10 }))).toBe('UNAUTHENTICATED');
  });

  it('answers a page with authors and niches in the same few SQL statements, for 5 posts as for 50', async () => {
    const viewer = await signUp(t);
    const authors = await Promise.all(Array.from({ length: 6 }, () => signUp(t)));
    const niches = [await nicheWith(t, admin, viewer, ...authors), await nicheWith(t, admin, viewer, ...authors)];
    await Promise.all(
      authors.map(async (author, a) => {
        for (let i = 0; i < 10; i++) {
          await approvedPost(t, admin, author, niches[(a + i) % 2]!, { creditsPerShare: 1 + ((a * 3 + i) % 10), budget: 10 });
        }
      }),
    );
    // Nothing of the arranging may still be talking to the database while statements are counted.
    await eventually(
      async () => (await t.sql.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`)).rows[0].n,
      (n) => n === 0,
    );

    const counted: Record<number, number> = {};
    for (const first of [5, 50]) {
      // The same start for both: the viewer's account already remembered by authentication.
      await ok(t, `{ viewer { member { id } } }`, {}, viewer.token);
      const { result, statements } = await countStatements(() => ok(t, FEED_CARDS, { first }, viewer.token));
      expect(result.shareFeed.nodes).toHaveLength(first);
      if (first === 50) expect(new Set(result.shareFeed.nodes.map((p: { author: { handle: string } }) => p.author.handle)).size).toBe(6);
      counted[first] = statements.length;
    }
    expect(counted[5]).toBeLessThanOrEqual(4);
    expect(counted[50]).toBeLessThanOrEqual(4);
    expect(counted[50]).toBe(counted[5]);
  });

  it('lets a partner take a full page of 100 cards: pageInfo and totalCount cost once per page, not once per post', async () => {
    const viewer = await signUp(t);
    const res = await t.gql(
      `{ shareFeed(first: 100) {
          nodes { id title creditsPerShare budgetRemaining author { handle } niche { name } }
          pageInfo { hasNextPage endCursor } totalCount } }`,
      {},
      { token: viewer.token },
    );
    expect(res.errors).toBeUndefined();
    // 1 for shareFeed, 4 for pageInfo and totalCount, 100 × 9 for nodes and each card.
    expect(res.extensions?.cost).toBe(905);
  });
});
