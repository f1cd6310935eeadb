import { TrustReview } from '@sharepool/relationships';
import { ShareDeliveryService } from '@sharepool/sharing';
import { MovableClock } from '@sharepool/testing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, nicheWith, ok, rawId, share } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const RELATIONSHIPS = `query($first: Int, $after: String, $segment: RelationshipSegment, $orderBy: RelationshipOrder) {
  viewer { relationships(first: $first, after: $after, segment: $segment, orderBy: $orderBy) {
    nodes { peer { handle } segment rfm { recency frequency monetary } sharesGiven sharesReceived reachGiven reachReceived owed
            lastGivenAt lastReceivedAt firstReceivedAt }
    edges { cursor }
    pageInfo { hasNextPage endCursor } totalCount } } }`;
const HIGHLIGHTS = `{ viewer {
  superFans { peer { handle } segment }
  waitingOnYou(first: 10) { peer { handle } owed } } }`;
const FEED = `{ shareFeed(first: 50) { nodes { id author { handle } } } }`;

interface Row {
  peer: { handle: string };
  segment: string;
  rfm: { recency: number; frequency: number; monetary: number } | null;
  sharesGiven: number;
  sharesReceived: number;
  reachGiven: number;
  reachReceived: number;
  owed: number;
  lastGivenAt: string | null;
  lastReceivedAt: string | null;
  firstReceivedAt: string | null;
}

/*
 * No worker: shares are delivered by calling the delivery service, as the
 * worker's job does, and time passes on a clock the test moves.
 */
describe('relationships with peers', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;
  const clock = new MovableClock();

  beforeAll(async () => {
    sink = await startWebhookSink();
    // Answers are built every time (no FEED_CACHE_SECONDS): these tests read the same page as time and shares change.
    t = await startTestApp({ clock, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0', SIGNUP_GRANT: '1000', FEED_CACHE_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  let channelCount = 0;
  /** `count` webhook channels of `member`'s, each with an audience of `audience`. */
  async function channelsOf(member: SignedIn, count: number, audience: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${member.handle}-${channelCount++}`;
      const { connectChannel } = await ok(
        t,
        `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } signingSecret } }`,
        { i: { network: 'WEBHOOK', handle: name, webhookUrl: sink.hookUrl(name), audienceSize: audience } },
        member.token,
      );
      sink.acceptSecret(connectChannel.signingSecret);
      ids.push(connectChannel.channel.id);
    }
    return ids;
  }

  /** `sharer` shares `postId` to each of `channels`, each delivered now. */
  async function sharePosted(sharer: SignedIn, postId: string, channels: string[]): Promise<void> {
    const res = await share(t, sharer, postId, channels);
    expect(res.errors).toBeUndefined();
    for (const made of res.data!.sharePost) {
      expect(await t.app.get(ShareDeliveryService, { strict: false }).deliver(rawId(made.id))).toBe('POSTED');
    }
  }

  const relationships = async (viewer: SignedIn, variables: Record<string, unknown> = {}) =>
    (await ok(t, RELATIONSHIPS, { first: 50, ...variables }, viewer.token)).viewer.relationships;
  const rows = async (viewer: SignedIn, variables: Record<string, unknown> = {}): Promise<Row[]> =>
    (await relationships(viewer, variables)).nodes;
  const segmentsOf = async (viewer: SignedIn) =>
    Object.fromEntries((await rows(viewer)).map((r) => [r.peer.handle, `${r.segment} ${r.rfm ? Object.values(r.rfm).join('') : '-'}`]));

  /**
   * The viewer's community: a fan who shared 10 of the viewer's posts
   * (channels of 100), a loyal peer 5 (channels of 1,000), a newcomer 1, and a
   * peer the viewer shared but who never shared back.
   */
  async function community() {
    const viewer = await signUp(t);
    const [fan, loyal, newcomer, quiet] = [await signUp(t), await signUp(t), await signUp(t), await signUp(t)];
    const niche = await nicheWith(t, admin, viewer, fan, loyal, newcomer, quiet);
    const post = await approvedPost(t, admin, viewer, niche, { creditsPerShare: 1, budget: 100 });
    await sharePosted(fan, post, await channelsOf(fan, 10, 100));
    await sharePosted(loyal, post, await channelsOf(loyal, 5, 1000));
    await sharePosted(newcomer, post, await channelsOf(newcomer, 1, 40));
    const quietPost = await approvedPost(t, admin, quiet, niche, { creditsPerShare: 1, budget: 10 });
    await sharePosted(viewer, quietPost, await channelsOf(viewer, 1, 7));
    return { viewer, fan, loyal, newcomer, quiet, niche };
  }

  it('scores each peer and puts them in a segment, best relationships first', async () => {
    const { viewer, fan, loyal, newcomer, quiet } = await community();
    const list = await rows(viewer);
    expect(list.map((r) => r.peer.handle)).toEqual([fan.handle, loyal.handle, newcomer.handle, quiet.handle]);
    const [fanRow, loyalRow, newRow, quietRow] = list;
    expect(fanRow).toMatchObject({
      segment: 'SUPER_FAN',
      rfm: { recency: 5, frequency: 4, monetary: 2 },
      sharesReceived: 10,
      sharesGiven: 0,
      reachReceived: 1000,
      owed: 10,
    });
    expect(loyalRow).toMatchObject({ segment: 'LOYAL', rfm: { recency: 5, frequency: 3, monetary: 3 }, reachReceived: 5000, owed: 5 });
    expect(newRow).toMatchObject({ segment: 'NEW', rfm: { recency: 5, frequency: 1, monetary: 1 }, owed: 1 });
    expect(quietRow).toMatchObject({ segment: 'NOT_YET', rfm: null, sharesGiven: 1, reachGiven: 7, sharesReceived: 0, owed: 0 });
    expect(quietRow!.lastGivenAt).not.toBeNull();
    expect(quietRow!.lastReceivedAt).toBeNull();
    expect(newRow!.firstReceivedAt).toBe(newRow!.lastReceivedAt);

    // The other side of each pair sees the same history from its end.
    const [back] = await rows(fan);
    expect(back).toMatchObject({ peer: { handle: viewer.handle }, segment: 'NOT_YET', sharesGiven: 10, reachGiven: 1000, owed: 0 });
    const [quietBack] = await rows(quiet);
    expect(quietBack).toMatchObject({ segment: 'NEW', sharesReceived: 1, reachReceived: 7, owed: 1 });
  });

  it('lists super fans and who is waiting on the viewer, most owed first', async () => {
    const { viewer, fan, loyal, newcomer } = await community();
    const { viewer: highlights } = await ok(t, HIGHLIGHTS, {}, viewer.token);
    expect(highlights.superFans).toEqual([{ peer: { handle: fan.handle }, segment: 'SUPER_FAN' }]);
    expect(highlights.waitingOnYou).toEqual([
      { peer: { handle: fan.handle }, owed: 10 },
      { peer: { handle: loyal.handle }, owed: 5 },
      { peer: { handle: newcomer.handle }, owed: 1 },
    ]);
  });

  it('filters by segment and orders by what is owed or by the latest share', async () => {
    const { viewer, fan, loyal, newcomer, quiet } = await community();
    expect((await rows(viewer, { segment: 'LOYAL' })).map((r) => r.peer.handle)).toEqual([loyal.handle]);
    expect((await relationships(viewer, { segment: 'NOT_YET' })).totalCount).toBe(1);
    expect(await rows(viewer, { segment: 'AT_RISK' })).toEqual([]);
    expect((await rows(viewer, { orderBy: 'OWED' })).map((r) => r.peer.handle)).toEqual([
      fan.handle,
      loyal.handle,
      newcomer.handle,
      quiet.handle,
    ]);
    // The viewer's own share of the quiet peer's post was the last share between any of them.
    expect((await rows(viewer, { orderBy: 'RECENT' })).map((r) => r.peer.handle)).toEqual([
      quiet.handle,
      newcomer.handle,
      loyal.handle,
      fan.handle,
    ]);
  });

  it('pages through every order with cursors, each peer once', async () => {
    const { viewer } = await community();
    for (const orderBy of ['VALUE', 'OWED', 'RECENT']) {
      const whole = (await rows(viewer, { orderBy })).map((r) => r.peer.handle);
      const walked: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Record<string, any> = await relationships(viewer, { orderBy, first: 1, after });
        walked.push(...page.nodes.map((r: Row) => r.peer.handle));
        expect(page.totalCount).toBe(4);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(walked).toEqual(whole);
    }
    const bad = await t.gql(RELATIONSHIPS, { first: 1, after: 'not-a-cursor' }, { token: viewer.token });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.extensions.field).toBe('after');
  });

  it('orders the feed by the relationship: peers waiting on the viewer, super fans, loyal peers, then the rest', async () => {
    const viewer = await signUp(t);
    const [waiting, superFan, loyal, stranger, owing] = [
      await signUp(t),
      await signUp(t),
      await signUp(t),
      await signUp(t),
      await signUp(t),
    ];
    const niche = await nicheWith(t, admin, viewer, waiting, superFan, loyal, stranger, owing);
    const viewersPost = await approvedPost(t, admin, viewer, niche, { creditsPerShare: 1, budget: 100 });
    const viewerChannels = await channelsOf(viewer, 10, 10);
    // The super fan and the loyal peer shared the viewer as much as the viewer shared them: nothing owed either way.
    await sharePosted(superFan, viewersPost, await channelsOf(superFan, 10, 10));
    await sharePosted(viewer, await approvedPost(t, admin, superFan, niche, { creditsPerShare: 1, budget: 10 }), viewerChannels);
    await sharePosted(loyal, viewersPost, await channelsOf(loyal, 5, 10));
    await sharePosted(viewer, await approvedPost(t, admin, loyal, niche, { creditsPerShare: 1, budget: 10 }), viewerChannels.slice(0, 5));
    await sharePosted(waiting, viewersPost, await channelsOf(waiting, 1, 10));
    await sharePosted(viewer, await approvedPost(t, admin, owing, niche, { creditsPerShare: 1, budget: 10 }), viewerChannels.slice(0, 1));
    // Each has a post the viewer has not shared; the stranger's and the owing peer's pay the most.
    const open = {
      owing: await approvedPost(t, admin, owing, niche, { creditsPerShare: 9, budget: 90 }),
      stranger: await approvedPost(t, admin, stranger, niche, { creditsPerShare: 8, budget: 80 }),
      loyal: await approvedPost(t, admin, loyal, niche, { creditsPerShare: 1, budget: 10 }),
      superFan: await approvedPost(t, admin, superFan, niche, { creditsPerShare: 1, budget: 10 }),
      waiting: await approvedPost(t, admin, waiting, niche, { creditsPerShare: 1, budget: 10 }),
    };
    const segments = await segmentsOf(viewer);
    expect(segments[superFan.handle]).toMatch(/^SUPER_FAN/);
    expect(segments[loyal.handle]).toMatch(/^LOYAL/);
    const feed = (await ok(t, FEED, {}, viewer.token)).shareFeed.nodes.map((p: { id: string }) => p.id);
    expect(feed).toEqual([open.waiting, open.superFan, open.loyal, open.stranger, open.owing]);
  });

  it('gives the shares each way per month for the sparkline of each peer', async () => {
    const { viewer, fan, quiet } = await community();
    const { viewer: v } = await ok(
      t,
      `{ viewer { relationships(first: 10) { nodes { peer { handle } activity(months: 3) { monthStart given received } } } } }`,
      {},
      viewer.token,
    );
    const byHandle = Object.fromEntries(
      v.relationships.nodes.map((r: { peer: { handle: string }; activity: unknown[] }) => [r.peer.handle, r.activity]),
    );
    const thisMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    expect(byHandle[fan.handle]).toHaveLength(3);
    expect(byHandle[fan.handle][2]).toEqual({ monthStart: thisMonth.toISOString(), given: 0, received: 10 });
    expect(byHandle[fan.handle].slice(0, 2).map((m: { received: number }) => m.received)).toEqual([0, 0]);
    expect(byHandle[quiet.handle][2]).toMatchObject({ given: 1, received: 0 });
    const tooMany = await t.gql(`{ viewer { superFans { activity(months: 25) { given } } } }`, {}, { token: viewer.token });
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
  });

  it("opens the feed at one peer's posts, to thank them with a share", async () => {
    const { viewer, fan, loyal, niche } = await community();
    const fanPosts = [
      await approvedPost(t, admin, fan, niche, { creditsPerShare: 2, budget: 20 }),
      await approvedPost(t, admin, fan, niche, { creditsPerShare: 3, budget: 30 }),
    ];
    await approvedPost(t, admin, loyal, niche, { creditsPerShare: 9, budget: 90 });
    const FAN_FEED = `query($author: ID, $after: String) { shareFeed(first: 1, after: $after, authorId: $author) {
      nodes { id author { handle } } pageInfo { hasNextPage endCursor } totalCount } }`;
    const first = (await ok(t, FAN_FEED, { author: fan.id }, viewer.token)).shareFeed;
    expect(first).toMatchObject({
      nodes: [{ id: fanPosts[1], author: { handle: fan.handle } }],
      totalCount: 2,
      pageInfo: { hasNextPage: true },
    });
    const second = (await ok(t, FAN_FEED, { author: fan.id, after: first.pageInfo.endCursor }, viewer.token)).shareFeed;
    expect(second).toMatchObject({ nodes: [{ id: fanPosts[0] }], pageInfo: { hasNextPage: false } });
  });

  it('moves peers between segments as time passes, and counts frequency within the last 365 days', async () => {
    const { viewer, fan, loyal, newcomer, quiet } = await community();
    // Each step keeps the clock where it is for the steps after it.
    clock.advanceDays(40);
    expect(await segmentsOf(viewer)).toMatchObject({
      [fan.handle]: 'LOYAL 342',
      [loyal.handle]: 'LOYAL 333',
      [newcomer.handle]: 'OCCASIONAL 311',
      [quiet.handle]: 'NOT_YET -',
    });
    clock.advanceDays(60);
    expect(await segmentsOf(viewer)).toMatchObject({
      [fan.handle]: 'AT_RISK 242',
      [loyal.handle]: 'AT_RISK 233',
      [newcomer.handle]: 'LAPSED 211',
    });
    // Past 365 days the shares no longer count for frequency or monetary.
    clock.advanceDays(300);
    const atYearEnd = await segmentsOf(viewer);
    expect(atYearEnd).toMatchObject({ [fan.handle]: 'LAPSED 111', [loyal.handle]: 'LAPSED 111', [newcomer.handle]: 'LAPSED 111' });
    // The daily job moves the stored window on; what readers see stays the same.
    expect(await t.app.get(TrustReview).daily()).not.toBeNull();
    expect(await segmentsOf(viewer)).toEqual(atYearEnd);
    // A reader behind the moved window counts the shares the window left behind again.
    clock.advanceDays(-400);
    expect(await segmentsOf(viewer)).toMatchObject({ [fan.handle]: 'SUPER_FAN 542', [loyal.handle]: 'LOYAL 533' });
  });
});
