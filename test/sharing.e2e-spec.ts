import { startWebhookSink, type WebhookSinkFake } from '../libs/testing/src/fakes/index.js';
import { approvedPost, balanceOf, eventually, nicheWith, ok, rawId, share, shareStatus, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('sharing a post to a webhook channel', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

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
});
