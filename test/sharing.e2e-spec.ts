import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import {
  approvedPost,
  balanceOf,
  eventually,
  inSeconds,
  nicheWith,
  ok,
  rawId,
  share,
  shareStatus,
  submitPost,
  webhookChannel,
} from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const POST_BUDGET = `query($id: ID!) { node(id: $id) { ... on Post { budgetRemaining shareCount } } }`;

async function budgetOf(t: TestApp, member: SignedIn, postId: string): Promise<number> {
  return (await ok(t, POST_BUDGET, { id: postId }, member.token)).node.budgetRemaining;
}

/** Requests the sink received for one delivery id, whatever it answered. */
function requestsFor(sink: WebhookSinkFake, shareId: string) {
  return sink.requests.filter((r) => r.headers['webhook-id'] === rawId(shareId));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sharing a post to a webhook channel', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0', SWEEP_INTERVAL_SECONDS: '1' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** An author with an approved post and a sharer with a webhook channel, in one niche. */
  async function peers(options: { creditsPerShare?: number; budget?: number } = {}) {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30, ...options });
    const channel = await webhookChannel(t, sharer, sink);
    return { author, sharer, niche, postId, channel };
  }

  it('posts the share, pays the sharer and counts it in both members’ reciprocity', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30 });
    const channel = await webhookChannel(t, sharer, sink);
    const feed = await ok(t, `{ shareFeed { nodes { id title creditsPerShare viewerHasShared author { handle } } } }`, {}, sharer.token);
    expect(feed.shareFeed.nodes).toEqual([
      { id: postId, title: 'A post worth sharing', creditsPerShare: 10, viewerHasShared: false, author: { handle: author.handle } },
    ]);

    const res = await share(t, sharer, postId, [channel]);
    expect(res.errors).toBeUndefined();
    const shareId = res.data!.sharePost[0].id;
    const done = await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'POSTED',
    );
    expect(done.creditsEarned).toBe(10);
    expect(done.externalUrl).toContain('/deliveries/');
    expect(sink.timesReceived(rawId(shareId))).toBe(1);
    expect(await balanceOf(t, sharer)).toBe(110);

    const post = await ok(
      t,
      `query($id: ID!) { node(id: $id) { ... on Post { shareCount budgetRemaining viewerHasShared } } }`,
      { id: postId },
      sharer.token,
    );
    expect(post.node).toEqual({ shareCount: 1, budgetRemaining: 20, viewerHasShared: true });
    const theirs = await ok(t, `{ viewer { reciprocity { nodes { peer { handle } sharesGiven sharesReceived } } } }`, {}, author.token);
    expect(theirs.viewer.reciprocity.nodes).toEqual([{ peer: { handle: sharer.handle }, sharesGiven: 0, sharesReceived: 1 }]);
    const mine = await ok(
      t,
      `{ viewer { reciprocity { nodes { peer { handle } sharesGiven sharesReceived lastSharedAt } } } }`,
      {},
      sharer.token,
    );
    expect(mine.viewer.reciprocity.nodes).toEqual([
      { peer: { handle: author.handle }, sharesGiven: 1, sharesReceived: 0, lastSharedAt: expect.any(String) },
    ]);
  });

  it('refuses to share the same post to the same channel twice', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche);
    const channel = await webhookChannel(t, sharer, sink);
    expect((await share(t, sharer, postId, [channel])).errors).toBeUndefined();
    expect(codeOf(await share(t, sharer, postId, [channel]))).toBe('CONFLICT');
  });

  it('fails a share the webhook refuses for good and returns its credits to the post budget', async () => {
    const { author, sharer, postId, channel } = await peers();
    let budgetRead!: () => void;
    sink.failNextWith(422, undefined, new Promise<void>((resolve) => (budgetRead = resolve)));
    const res = await share(t, sharer, postId, [channel]);
    const shareId = res.data!.sharePost[0].id;
    // the webhook's refusal is held back until the in-flight hold has been seen
    expect(await budgetOf(t, author, postId)).toBe(20);
    budgetRead();

    const done = await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'FAILED',
    );
    expect(done.failureReason).toBe('The webhook answered 422: scripted 422');
    expect(done.creditsEarned).toBe(0);
    expect(requestsFor(sink, shareId)).toHaveLength(1);
    expect(await budgetOf(t, author, postId)).toBe(30);
    expect(await balanceOf(t, sharer)).toBe(100);
    const failed = await ok(t, `{ viewer { shares(status: FAILED) { nodes { id } } } }`, {}, sharer.token);
    expect(failed.viewer.shares.nodes).toEqual([{ id: shareId }]);
    const theirs = await ok(t, `{ viewer { reciprocity { nodes { sharesReceived } } } }`, {}, author.token);
    expect(theirs.viewer.reciprocity.nodes).toEqual([]);
  });

  it('lets a member share a post again to a channel where the first share failed', async () => {
    const { sharer, postId, channel } = await peers();
    sink.failNextWith(400);
    const first = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;
    await eventually(
      () => shareStatus(t, sharer, first),
      (s) => s.status === 'FAILED',
    );
    const again = await share(t, sharer, postId, [channel]);
    expect(again.errors).toBeUndefined();
    await eventually(
      () => shareStatus(t, sharer, again.data!.sharePost[0].id),
      (s) => s.status === 'POSTED',
    );
  });

  it('tries a share again after a transient failure and posts it once', async () => {
    const { sharer, postId, channel } = await peers();
    sink.failNextWith(503, { 'Retry-After': '1' });
    const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;

    const done = await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'POSTED',
    );
    expect(done).toMatchObject({ creditsEarned: 10, failureReason: null });
    expect(requestsFor(sink, shareId)).toHaveLength(2);
    expect(sink.timesReceived(rawId(shareId))).toBe(1);
    const [row] = (await t.sql.query(`SELECT attempts, ambiguous FROM shares WHERE id = $1`, [rawId(shareId)])).rows;
    expect(row).toEqual({ attempts: 2, ambiguous: false });
    expect(await balanceOf(t, sharer)).toBe(110);
  });

  it('creates one share per chosen channel, each holding the credits per share', async () => {
    const { author, sharer, postId, channel } = await peers();
    const second = await webhookChannel(t, sharer, sink, `${sharer.handle}-second`);
    const res = await share(t, sharer, postId, [channel, second]);
    expect(res.errors).toBeUndefined();
    const ids = res.data!.sharePost.map((s: { id: string }) => s.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      await eventually(
        () => shareStatus(t, sharer, id),
        (s) => s.status === 'POSTED',
      );
    }
    expect(await balanceOf(t, sharer)).toBe(120);
    expect(await ok(t, POST_BUDGET, { id: postId }, author.token)).toEqual({ node: { budgetRemaining: 10, shareCount: 2 } });
  });

  it('creates nothing when the post budget cannot cover every chosen channel', async () => {
    const { author, sharer, postId, channel } = await peers({ creditsPerShare: 10, budget: 10 });
    const second = await webhookChannel(t, sharer, sink, `${sharer.handle}-second`);
    const res = await share(t, sharer, postId, [channel, second]);
    expect(codeOf(res)).toBe('INSUFFICIENT_CREDITS');
    expect(await budgetOf(t, author, postId)).toBe(10);
    const mine = await ok(t, `{ viewer { shares { nodes { id } } } }`, {}, sharer.token);
    expect(mine.viewer.shares.nodes).toEqual([]);
  });

  it('cancels a scheduled share and returns its credits to the post budget', async () => {
    const { author, sharer, postId, channel } = await peers();
    const res = await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) });
    const shareId = res.data!.sharePost[0].id;
    expect(res.data!.sharePost[0].status).toBe('SCHEDULED');
    expect(await budgetOf(t, author, postId)).toBe(20);

    const other = await signUp(t);
    expect(codeOf(await t.gql(`mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: shareId }, { token: other.token }))).toBe(
      'NOT_FOUND',
    );
    const cancelled = await ok(t, `mutation($id: ID!) { cancelShare(id: $id) { status creditsEarned } }`, { id: shareId }, sharer.token);
    expect(cancelled.cancelShare).toEqual({ status: 'CANCELLED', creditsEarned: 0 });
    expect(await budgetOf(t, author, postId)).toBe(30);
    expect(codeOf(await t.gql(`mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: shareId }, { token: sharer.token }))).toBe(
      'CONFLICT',
    );
    expect(requestsFor(sink, shareId)).toHaveLength(0);
  });

  it('refuses to cancel a share that was posted', async () => {
    const { sharer, postId, channel } = await peers();
    const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;
    await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'POSTED',
    );
    const res = await t.gql(`mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: shareId }, { token: sharer.token });
    expect(codeOf(res)).toBe('CONFLICT');
    expect((await shareStatus(t, sharer, shareId)).status).toBe('POSTED');
  });

  it('holds back the shares of a paused post and delivers them once sharing resumes', async () => {
    const { sharer, postId, channel } = await peers();
    const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(1) })).data!.sharePost[0].id;
    const target = { scope: 'POST', postId };
    await ok(
      t,
      `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`,
      { i: { ...target, reason: 'checking a complaint' } },
      admin.token,
    );

    const other = await signUp(t);
    const otherChannel = await webhookChannel(t, other, sink);
    expect(codeOf(await share(t, other, postId, [otherChannel]))).toBe('CONFLICT');

    await pause(3_000);
    expect((await shareStatus(t, sharer, shareId)).status).toBe('SCHEDULED');
    expect(requestsFor(sink, shareId)).toHaveLength(0);

    await ok(
      t,
      `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`,
      { i: { ...target, reason: 'all clear' } },
      admin.token,
    );
    await eventually(
      () => shareStatus(t, sharer, shareId),
      (s) => s.status === 'POSTED',
      40_000,
    );
    expect(sink.timesReceived(rawId(shareId))).toBe(1);
  }, 60_000);

  it('shows a share to its sharer and to the post author, and to nobody else', async () => {
    const { author, sharer, postId, channel } = await peers();
    const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).data!.sharePost[0].id;
    const query = `query($id: ID!) { node(id: $id) { ... on Share { status sharer { handle } post { id } channel { handle } } } }`;
    const expected = { status: 'SCHEDULED', sharer: { handle: sharer.handle }, post: { id: postId }, channel: { handle: sharer.handle } };
    expect((await ok(t, query, { id: shareId }, sharer.token)).node).toEqual(expected);
    expect((await ok(t, query, { id: shareId }, author.token)).node).toEqual(expected);
    const stranger = await signUp(t);
    expect((await ok(t, query, { id: shareId }, stranger.token)).node).toBeNull();
  });

  it('lists the viewer’s shares by status', async () => {
    const { sharer, postId, channel } = await peers();
    const scheduled = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).data!.sharePost[0].id;
    const list = (status: string) =>
      ok(t, `query($s: ShareStatus) { viewer { shares(status: $s) { nodes { id } } } }`, { s: status }, sharer.token);
    expect((await list('SCHEDULED')).viewer.shares.nodes).toEqual([{ id: scheduled }]);
    expect((await list('POSTED')).viewer.shares.nodes).toEqual([]);
  });
});

describe('the rules of sharing a post', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    // No worker: these rules are decided when the share is asked for.
    t = await startTestApp({
      env: { TRUST_RULES: JSON.stringify({ levels: { NEW: { privileges: { sharesPerDay: 3, postsPerDay: 100 } } } }) },
    });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('refuses to share a post that is not approved', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const pending = await submitPost(t, author, niche);
    const channel = await webhookChannel(t, sharer, sink);
    expect(codeOf(await share(t, sharer, pending, [channel]))).toBe('NOT_FOUND');
  });

  it('refuses to let members share their own post', async () => {
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, author);
    const postId = await approvedPost(t, admin, author, niche);
    const channel = await webhookChannel(t, author, sink);
    expect(codeOf(await share(t, author, postId, [channel]))).toBe('FORBIDDEN');
  });

  it('refuses a channel that is not the sharer’s', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const other = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche);
    const theirs = await webhookChannel(t, other, sink);
    const res = await share(t, sharer, postId, [theirs]);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors![0]!.extensions.field).toBe('channelIds');
  });

  it('accepts a schedule up to 30 days ahead and refuses one further or in the past', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche);
    const channel = await webhookChannel(t, sharer, sink);
    for (const scheduledFor of [inSeconds(30 * 86_400 + 120), inSeconds(-3600)]) {
      const res = await share(t, sharer, postId, [channel], { scheduledFor });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('scheduledFor');
    }
    expect((await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(30 * 86_400 - 120) })).errors).toBeUndefined();
  });

  it('limits a member to the shares a day of their trust level', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const channel = await webhookChannel(t, sharer, sink);
    for (let i = 0; i < 3; i++) {
      const postId = await approvedPost(t, admin, author, niche, { budget: 10 });
      expect((await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).errors).toBeUndefined();
    }
    const fourth = await approvedPost(t, admin, author, niche, { budget: 10 });
    const res = await share(t, sharer, fourth, [channel], { scheduledFor: inSeconds(3600) });
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.errors![0]!.extensions.retryAfter).toBeGreaterThan(86_000);
  });

  it('counts every chosen channel against the daily cap, all or nothing', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { budget: 50 });
    const channels = [];
    for (let i = 0; i < 4; i++) channels.push(await webhookChannel(t, sharer, sink, `${sharer.handle}-${i}`));
    const later = { scheduledFor: inSeconds(3600) };
    expect((await share(t, sharer, postId, channels.slice(0, 1), later)).errors).toBeUndefined();
    expect(codeOf(await share(t, sharer, postId, channels.slice(1), later))).toBe('RATE_LIMITED');
    expect((await ok(t, `{ viewer { shares { nodes { id } } } }`, {}, sharer.token)).viewer.shares.nodes).toHaveLength(1);
    expect((await share(t, sharer, postId, channels.slice(1, 3), later)).errors).toBeUndefined();
  });

  it('refuses more channels at once than the daily cap allows, as a mistake in the input', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { budget: 50 });
    const channels = [];
    for (let i = 0; i < 4; i++) channels.push(await webhookChannel(t, sharer, sink, `${sharer.handle}-${i}`));
    const res = await share(t, sharer, postId, channels, { scheduledFor: inSeconds(3600) });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions.field).toBe('channelIds');
    expect((await ok(t, `{ viewer { shares { nodes { id } } } }`, {}, sharer.token)).viewer.shares.nodes).toEqual([]);
  });

  it('does not count a cancelled share against the daily cap', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { budget: 50 });
    const channels = [];
    for (let i = 0; i < 4; i++) channels.push(await webhookChannel(t, sharer, sink, `${sharer.handle}-${i}`));
    const made = (await share(t, sharer, postId, channels.slice(0, 3), { scheduledFor: inSeconds(3600) })).data!.sharePost;
    await ok(t, `mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: made[0].id }, sharer.token);
    expect((await share(t, sharer, postId, [channels[3]!], { scheduledFor: inSeconds(3600) })).errors).toBeUndefined();
  });
});
