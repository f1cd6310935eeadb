import jwt from 'jsonwebtoken';
import { TEST_SECRETS } from '@sharepool/testing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { LiveHub } from '../apps/api/src/live/live-hub.js';
import { approvedPost, eventually, inSeconds, nicheWith, ok, rawId, share, submitPost, webhookChannel } from './support/flows.js';
import { liveClient, type LiveClient } from './support/live-client.js';
import { signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SHARE_UPDATED = `subscription { shareUpdated { id status postedAt failureReason post { id } } }`;
const NOTIFICATION_ADDED = `subscription { notificationAdded { id kind message readAt share { id } post { id } peer { handle } } }`;

describe('live updates over WebSocket (graphql-ws on /graphql)', () => {
  let t: TestApp;
  let sink: WebhookSinkFake;
  let admin: SignedIn;
  let author: SignedIn;
  let sharer: SignedIn;
  let niche: string;
  const clients: LiveClient[] = [];

  const open = (token: string | null) => {
    const client = liveClient(t.url, token);
    clients.push(client);
    return client;
  };
  /** Waits until this process holds `count` subscriptions (a subscribe message is handled after it is sent). */
  const subscriptionsOpen = (count: number) =>
    eventually(
      async () => t.app.get(LiveHub).subscriptionCount(),
      (n) => n >= count,
    );

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0', LIVE_MAX_CONNECTIONS: '12' } });
    admin = await signInAdmin(t);
    [author, sharer] = [await signUp(t), await signUp(t)];
    niche = await nicheWith(t, admin, author, sharer);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(
      async () => t.app.get(LiveHub).subscriptionCount(),
      (n) => n === 0,
    );
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('shows a share go SCHEDULED → POSTING → POSTED to its sharer and its author, with their notifications', async () => {
    const postId = await approvedPost(t, admin, author, niche);
    const channel = await webhookChannel(t, sharer, sink);
    const sharerLive = open(sharer.token);
    const authorLive = open(author.token);
    const stranger = open((await signUp(t)).token);
    const sharerShares = sharerLive.subscribe<{ shareUpdated: any }>(SHARE_UPDATED);
    const sharerNews = sharerLive.subscribe<{ notificationAdded: any }>(NOTIFICATION_ADDED);
    const authorShares = authorLive.subscribe<{ shareUpdated: any }>(SHARE_UPDATED);
    const authorNews = authorLive.subscribe<{ notificationAdded: any }>(NOTIFICATION_ADDED);
    const strangerShares = stranger.subscribe<{ shareUpdated: any }>(SHARE_UPDATED);
    await subscriptionsOpen(5);

    // The receiver holds its answer until the sharer has seen POSTING, so each status is seen for sure.
    let postingSeen!: () => void;
    sink.fail({ reply: { status: 200, body: { ok: true } }, when: new Promise<void>((resolve) => (postingSeen = resolve)) });
    const res = await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(2) });
    const shareId = res.data!.sharePost[0].id;
    await sharerShares.until((v) => v.some((x) => x.shareUpdated.status === 'POSTING'));
    postingSeen();
    await sharerShares.until((v) => v.some((x) => x.shareUpdated.status === 'POSTED'));
    expect(sharerShares.values.map((v) => [v.shareUpdated.id, v.shareUpdated.status])).toEqual([
      [shareId, 'SCHEDULED'],
      [shareId, 'POSTING'],
      [shareId, 'POSTED'],
    ]);
    expect(sharerShares.values[2]!.shareUpdated).toMatchObject({ post: { id: postId }, failureReason: null });
    await authorShares.until((v) => v.some((x) => x.shareUpdated.status === 'POSTED'));
    expect(authorShares.values.map((v) => v.shareUpdated.status)).toEqual(['SCHEDULED', 'POSTING', 'POSTED']);

    const [told] = await sharerNews.until((v) => v.length > 0);
    expect(told!.notificationAdded).toMatchObject({ kind: 'SHARE_POSTED', share: { id: shareId }, post: { id: postId }, readAt: null });
    expect(told!.notificationAdded.message).toMatch(/Your share of “A post worth sharing” is live/);
    const [authorTold] = await authorNews.until((v) => v.length > 0);
    expect(authorTold!.notificationAdded).toMatchObject({ kind: 'POST_SHARED', peer: { handle: sharer.handle } });

    // Nothing of theirs reached a member it does not concern.
    expect(strangerShares.values).toEqual([]);
    expect(strangerShares.errors).toEqual([]);
  });

  it('lets the web app open its WebSocket under its Content-Security-Policy', async () => {
    const csp = (await t.http.get('/').set('accept', 'text/html')).headers['content-security-policy']!;
    // PUBLIC_URL is the app's own address here (http), so its WebSocket origin is ws://.
    expect(csp).toContain(`connect-src 'self' ${t.config.publicUrl.replace(/^http/, 'ws')};`);
  });

  it('refuses a connection without credentials, with a bad token or with an API key lacking READ, and takes one with READ', async () => {
    expect((await open(null).closed).code).toBe(4403);
    expect((await open('not-a-token').closed).code).toBe(4403);
    const keyOf = async (scopes: string[]) =>
      (
        await ok(
          t,
          `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`,
          { i: { name: `k${scopes}`, scopes } },
          sharer.token,
        )
      ).createApiKey.secret as string;
    const refused = await open(await keyOf(['SHARE'])).closed;
    expect(refused).toMatchObject({ code: 4403, reason: expect.stringMatching(/READ/) });

    const partner = open(await keyOf(['READ']));
    const news = partner.subscribe<{ notificationAdded: any }>(NOTIFICATION_ADDED);
    await subscriptionsOpen(1);
    await ok(
      t,
      `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
      { i: { memberId: sharer.id, amount: 5, reason: 'a thank-you' } },
      admin.token,
    );
    const [value] = await news.until((v) => v.length > 0);
    expect(value!.notificationAdded).toMatchObject({
      kind: 'CREDITS_ADJUSTED',
      message: 'An admin added 5 credits to your balance: a thank-you',
    });
  });

  it('serves only subscriptions, at most five at once per connection', async () => {
    const client = open(sharer.token);
    const query = client.subscribe(`query { viewer { email } }`);
    await query.until(() => query.errors.length > 0);
    expect(JSON.stringify(query.errors)).toMatch(/Only subscriptions are served over WebSocket/);

    const five = Array.from({ length: 5 }, () => client.subscribe(NOTIFICATION_ADDED));
    await subscriptionsOpen(5);
    const sixth = client.subscribe(NOTIFICATION_ADDED);
    await sixth.until(() => sixth.errors.length > 0);
    expect(JSON.stringify(sixth.errors)).toMatch(/at most 5 subscriptions/);
    expect(five.every((s) => s.errors.length === 0)).toBe(true);
  });

  it('refuses connections past LIVE_MAX_CONNECTIONS at the upgrade', async () => {
    const many = Array.from({ length: 12 }, () => open(sharer.token));
    for (const client of many) client.subscribe(NOTIFICATION_ADDED);
    await subscriptionsOpen(12);
    const refused = open(sharer.token);
    refused.subscribe(NOTIFICATION_ADDED);
    expect((await refused.closed).code).not.toBe(1000);
    expect(t.app.get(LiveHub).subscriptionCount()).toBe(12);
  });

  it('disconnects a member who is suspended, and a token when it expires', async () => {
    const victim = await signUp(t);
    const live = open(victim.token);
    live.subscribe(NOTIFICATION_ADDED);
    await subscriptionsOpen(1);
    await ok(
      t,
      `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`,
      { i: { memberId: victim.id, reason: 'spamming the feed' } },
      admin.token,
    );
    expect(await live.closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/suspended/) });

    const shortLived = jwt.sign({}, TEST_SECRETS.JWT_SECRET, {
      algorithm: 'HS256',
      subject: rawId(sharer.id),
      issuer: 'sharepool',
      audience: 'sharepool-api',
      expiresIn: 2,
    });
    const expiring = open(shortLived);
    expiring.subscribe(NOTIFICATION_ADDED);
    expect(await expiring.closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/expired/) });
  });

  it('keeps moderators’ review queue up to date, and only theirs', async () => {
    const moderator = await signUpAs(t, admin, 'MODERATOR');
    const queue = open(moderator.token).subscribe<{ moderationQueueChanged: { id: string; status: string } }>(
      `subscription { moderationQueueChanged { id status } }`,
    );
    const member = open(sharer.token).subscribe(`subscription { moderationQueueChanged { id } }`);
    await member.until(() => member.errors.length > 0);
    expect(JSON.stringify(member.errors)).toMatch(/FORBIDDEN/);
    await subscriptionsOpen(1);

    const postId = await submitPost(t, author, niche);
    await queue.until((v) => v.length > 0);
    await ok(
      t,
      `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
      { i: { postId, action: 'APPROVE' } },
      moderator.token,
    );
    const values = await queue.until((v) => v.length > 1);
    expect(values.map((v) => v.moderationQueueChanged)).toEqual([
      { id: postId, status: 'PENDING_REVIEW' },
      { id: postId, status: 'APPROVED' },
    ]);
  });
});
