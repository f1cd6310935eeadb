import { DatabaseChanges } from '@sharepool/database';
import { ShareDeliveryService } from '@sharepool/sharing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, eventually, nicheWith, ok, rawId, share, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const FEED = `{ shareFeed(first: 50) { nodes { id budgetRemaining author { displayName } } } }`;
const RENAME = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { displayName } }`;
const PAUSE = `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`;

interface FeedNode {
  id: string;
  budgetRemaining: number;
  author: { displayName: string };
}

/*
 * Answers are kept for a long time here (FEED_CACHE_SECONDS=300), so a test
 * that sees a change sees it because the cache was told, not because the
 * answer ran out.
 */
describe('the share feed kept in memory', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ env: { FEED_CACHE_SECONDS: '300', CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const feedOf = async (viewer: SignedIn, app: TestApp = t): Promise<FeedNode[]> => (await ok(app, FEED, {}, viewer.token)).shareFeed.nodes;
  const ids = (nodes: FeedNode[]) => nodes.map((n) => n.id);

  /** A viewer and an author in a niche of their own, with one approved post. */
  async function viewerAndPost(app: TestApp = t, appAdmin: SignedIn = admin) {
    const viewer = await signUp(app);
    const author = await signUp(app);
    const niche = await nicheWith(app, appAdmin, viewer, author);
    const postId = await approvedPost(app, appAdmin, author, niche, { creditsPerShare: 5, budget: 20 });
    return { viewer, author, niche, postId };
  }

  it("serves a reload from memory: the author's new name, which takes nothing out of the feed, is not fetched again", async () => {
    const { viewer, author, postId } = await viewerAndPost();
    await ok(t, RENAME, { i: { displayName: 'Before' } }, author.token);
    expect((await feedOf(viewer)).find((n) => n.id === postId)?.author.displayName).toBe('Before');

    await ok(t, RENAME, { i: { displayName: 'After' } }, author.token);
    expect((await feedOf(viewer)).find((n) => n.id === postId)?.author.displayName).toBe('Before');
  });

  it("takes a post the viewer just shared out of their next load, and leaves it in other members' feeds", async () => {
    const viewer = await signUp(t);
    const bystander = await signUp(t);
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, viewer, bystander, author);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 5, budget: 20 });
    const channel = await webhookChannel(t, viewer, sink);
    expect(ids(await feedOf(viewer))).toContain(postId);
    expect(ids(await feedOf(bystander))).toContain(postId);

    expect((await share(t, viewer, postId, [channel])).errors).toBeUndefined();
    expect(ids(await feedOf(viewer))).not.toContain(postId);
    expect(ids(await feedOf(bystander))).toContain(postId);
  });

  it("takes a paused post out of every member's cached feed as soon as the admin's pause returns, and brings it back on resume", async () => {
    const { viewer, postId } = await viewerAndPost();
    expect(ids(await feedOf(viewer))).toContain(postId);

    await ok(t, PAUSE, { i: { scope: 'POST', postId, reason: 'Checking a report' } }, admin.token);
    expect(ids(await feedOf(viewer))).not.toContain(postId);

    await ok(t, RESUME, { i: { scope: 'POST', postId, reason: 'Report was unfounded' } }, admin.token);
    expect(ids(await feedOf(viewer))).toContain(postId);
  });

  it("takes a post its author withdrew out of other members' cached feeds as soon as the withdrawal returns", async () => {
    const { viewer, author, postId } = await viewerAndPost();
    expect(ids(await feedOf(viewer))).toContain(postId);

    await ok(t, `mutation($id: ID!) { withdrawPost(id: $id) { id } }`, { id: postId }, author.token);
    expect(ids(await feedOf(viewer))).not.toContain(postId);
  });

  it("keeps a member's relationship pages like the feed, and builds any other viewer read every time", async () => {
    const { viewer, author, postId } = await viewerAndPost();
    const channel = await webhookChannel(t, viewer, sink);
    const WAITING = `{ viewer { waitingOnYou { peer { displayName } } } }`;
    const MIXED = `{ viewer { creditBalance waitingOnYou { peer { displayName } } } }`;
    const waitingOf = async (query: string) =>
      (await ok(t, query, {}, author.token)).viewer.waitingOnYou.map((r: { peer: { displayName: string } }) => r.peer.displayName);
    expect(await waitingOf(WAITING)).toEqual([]);
    expect(await waitingOf(MIXED)).toEqual([]);
    // The viewer shares the author's post: the author now owes them one, once it is POSTED.
    const made = await share(t, viewer, postId, [channel]);
    expect(await t.app.get(ShareDeliveryService, { strict: false }).deliver(rawId(made.data!.sharePost[0].id))).toBe('POSTED');
    const name = (await ok(t, `{ viewer { member { displayName } } }`, {}, viewer.token)).viewer.member.displayName;
    expect(await waitingOf(MIXED)).toEqual([name]);
    expect(await waitingOf(WAITING)).toEqual([]);
  });

  it('hears of a change made elsewhere (another process, a worker, SQL) through the database, well before the answer would run out', async () => {
    const { viewer, postId } = await viewerAndPost();
    expect(ids(await feedOf(viewer))).toContain(postId);

    await t.sql.query(`UPDATE posts SET status = 'WITHDRAWN' WHERE id = $1`, [rawId(postId)]);
    await eventually(
      () => feedOf(viewer),
      (nodes) => !ids(nodes).includes(postId),
      3_000,
    );
  });

  it('refuses a member suspended elsewhere on their next requests, though their account was remembered', async () => {
    const { viewer } = await viewerAndPost();
    await feedOf(viewer);

    await t.sql.query(`UPDATE members SET status = 'SUSPENDED', suspended_reason = 'Spam', suspended_at = now() WHERE id = $1`, [
      rawId(viewer.id),
    ]);
    const refused = await eventually(
      () => t.gql(FEED, {}, { token: viewer.token }),
      (res) => codeOf(res) !== undefined,
      3_000,
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });

  it('builds every answer afresh while changes cannot be heard, and keeps answers again once they can', async () => {
    const { viewer, postId } = await viewerAndPost();
    const changes = t.app.get(DatabaseChanges);
    expect(ids(await feedOf(viewer))).toContain(postId);

    await t.sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sharepool-changes' AND datname = current_database()`,
    );
    await eventually(
      async () => changes.stamp('feed', rawId(viewer.id)),
      (stamp) => stamp === null,
      3_000,
    );
    await t.sql.query(`UPDATE posts SET status = 'WITHDRAWN' WHERE id = $1`, [rawId(postId)]);
    expect(ids(await feedOf(viewer))).not.toContain(postId);

    await eventually(
      async () => changes.stamp('feed', rawId(viewer.id)),
      (stamp) => stamp !== null,
      5_000,
    );
    const again = await viewerAndPost();
    expect(ids(await feedOf(again.viewer))).toContain(again.postId);
    await t.sql.query(`UPDATE posts SET status = 'WITHDRAWN' WHERE id = $1`, [rawId(again.postId)]);
    await eventually(
      () => feedOf(again.viewer),
      (nodes) => !ids(nodes).includes(again.postId),
      3_000,
    );
  });

  describe('with answers kept for one second', () => {
    let brief: TestApp;
    let briefAdmin: SignedIn;
    beforeAll(async () => {
      brief = await startTestApp({ env: { FEED_CACHE_SECONDS: '1' } });
      briefAdmin = await signInAdmin(brief);
    });
    afterAll(() => brief.close());

    it('shows what changed without a notification (a budget, a name) once the answer runs out', async () => {
      const { viewer, author, postId } = await viewerAndPost(brief, briefAdmin);
      await ok(brief, RENAME, { i: { displayName: 'Old name' } }, author.token);
      await feedOf(viewer, brief);
      await ok(brief, RENAME, { i: { displayName: 'New name' } }, author.token);
      expect((await feedOf(viewer, brief)).find((n) => n.id === postId)?.author.displayName).toBe('Old name');

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await feedOf(viewer, brief)).find((n) => n.id === postId)?.author.displayName).toBe('New name');
    });
  });
});
