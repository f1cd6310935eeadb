import { JobQueue } from '@sharepool/queue';
import {
  type BlueskyFake,
  type MastodonFake,
  startBlueskyFake,
  startMastodonFake,
  startWebhookSink,
  type WebhookSinkFake,
} from '@sharepool/testing/fakes';
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
  webhookChannel,
} from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CONNECT = `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id handle status } } }`;
const CHANNELS = `{ viewer { channels { id status statusReason } } }`;
const PAUSE = `mutation($i: PauseSharingInput!) { pauseSharing(input: $i) { id } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id } }`;
const MIN_INTERVAL_SECONDS = 3;
const posted = (s: { status: string }) => s.status === 'POSTED';

/** The adapters' request deadline (15 s) passes before an ambiguous try is known: those tests wait longer. */
const AMBIGUOUS_TIMEOUT_MS = 60_000;

describe('delivering shares through the worker', () => {
  let t: TestApp;
  let admin: SignedIn;
  let mastodon: MastodonFake;
  let bluesky: BlueskyFake;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    mastodon = await startMastodonFake();
    bluesky = await startBlueskyFake();
    sink = await startWebhookSink();
    t = await startTestApp({
      worker: true,
      env: { CHANNEL_MIN_INTERVAL_SECONDS: String(MIN_INTERVAL_SECONDS), SWEEP_INTERVAL_SECONDS: '1', SHARE_LEASE_SECONDS: '5' },
    });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([mastodon.close(), bluesky.close(), sink.close()]);
  });

  /** An author's approved post and a sharer in the same niche. */
  async function peers() {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30 });
    return { author, sharer, postId, another: () => approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30 }) };
  }

  async function mastodonChannel(member: SignedIn) {
    const account = mastodon.addAccount(`m${member.handle}`.slice(0, 30), { followersCount: 7 });
    const { connectChannel } = await ok(
      t,
      CONNECT,
      { i: { network: 'MASTODON', handle: account.username, instanceUrl: mastodon.url, accessToken: account.accessToken } },
      member.token,
    );
    return { channel: connectChannel.channel.id as string, account };
  }

  const statusesOf = (accountId: string) => mastodon.statuses.filter((s) => s.accountId === accountId);
  const shareRow = async (shareId: string) =>
    (
      await t.sql.query(
        `SELECT status, attempts, ambiguous, next_attempt_at AS "nextAttemptAt", updated_at AS "updatedAt" FROM shares WHERE id = $1`,
        [rawId(shareId)],
      )
    ).rows[0];
  /** The share's short link, which the posted text carries. */
  const shortUrlOf = async (shareId: string) =>
    `${t.config.publicUrl}/s/${(await t.sql.query(`SELECT code FROM share_links WHERE share_id = $1`, [rawId(shareId)])).rows[0].code}`;

  describe('to Mastodon', () => {
    it('posts a share once, with the share id as its Idempotency-Key, and pays the sharer', async () => {
      const { sharer, postId } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      const shareId = (await share(t, sharer, postId, [channel], { message: 'Worth a read' })).data!.sharePost[0].id;

      const done = await eventually(() => shareStatus(t, sharer, shareId), posted);
      const statuses = statusesOf(account.id);
      expect(statuses).toHaveLength(1);
      expect(statuses[0]!.idempotencyKey).toBe(rawId(shareId));
      expect(statuses[0]!.text).toBe(`Worth a read ${await shortUrlOf(shareId)}`);
      expect(done.externalUrl).toBe(statuses[0]!.url);
      expect(await balanceOf(t, sharer)).toBe(110);
    });

    it('fails the share and asks the member to reconnect when Mastodon no longer accepts the token', async () => {
      const { author, sharer, postId } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      mastodon.revokeToken(account.accessToken);
      const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;

      const done = await eventually(
        () => shareStatus(t, sharer, shareId),
        (s) => s.status === 'FAILED',
      );
      expect(done.failureReason).toBe("Mastodon no longer accepts the channel's access token: The access token was revoked");
      expect(done.failureReason).not.toContain(account.accessToken);
      const { viewer } = await ok(t, CHANNELS, {}, sharer.token);
      expect(viewer.channels).toEqual([{ id: channel, status: 'NEEDS_REAUTH', statusReason: done.failureReason }]);
      const budget = await ok(t, `query($id: ID!) { node(id: $id) { ... on Post { budgetRemaining } } }`, { id: postId }, author.token);
      expect(budget.node.budgetRemaining).toBe(30);
      expect(statusesOf(account.id)).toEqual([]);

      // Until reconnected, the channel takes no new shares.
      const res = await share(t, sharer, postId, [channel]);
      expect(codeOf(res)).toBe('CONFLICT');
      expect(res.errors![0]!.message).toContain('needs reconnecting');
    });

    it('repairs the channel when the member connects the account again, and the next share goes out with the new token', async () => {
      const { sharer, postId, another } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      mastodon.revokeToken(account.accessToken);
      const failed = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;
      await eventually(
        () => shareStatus(t, sharer, failed),
        (s) => s.status === 'FAILED',
      );

      const accessToken = mastodon.issueToken(account);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'MASTODON', handle: account.username, instanceUrl: mastodon.url, accessToken } },
        sharer.token,
      );
      expect(connectChannel.channel).toEqual({ id: channel, handle: account.username, status: 'ACTIVE' });
      expect((await ok(t, CHANNELS, {}, sharer.token)).viewer.channels).toEqual([{ id: channel, status: 'ACTIVE', statusReason: null }]);

      const next = (await share(t, sharer, await another(), [channel])).data!.sharePost[0].id;
      await eventually(() => shareStatus(t, sharer, next), posted);
      expect(statusesOf(account.id)).toHaveLength(1);
      expect(mastodon.requests.filter((r) => r.route === 'create_status').at(-1)!.headers.authorization).toBe(`Bearer ${accessToken}`);
    });

    it('fails a scheduled share when its channel needs reconnecting by the time it is due', async () => {
      const { sharer, postId, another } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      const other = await another();
      const later = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(MIN_INTERVAL_SECONDS + 3) })).data!.sharePost[0]
        .id;
      mastodon.revokeToken(account.accessToken);
      const now = (await share(t, sharer, other, [channel])).data!.sharePost[0].id;
      await eventually(
        () => shareStatus(t, sharer, now),
        (s) => s.status === 'FAILED',
      );
      const done = await eventually(
        () => shareStatus(t, sharer, later),
        (s) => s.status === 'FAILED',
      );
      expect(done.failureReason).toMatch(/^Your MASTODON channel .* needs reconnecting: Mastodon no longer accepts/);
      expect(mastodon.requests.filter((r) => r.route === 'create_status' && r.headers['idempotency-key'] === rawId(later))).toEqual([]);
    });

    it('waits as long as Mastodon’s Retry-After asks before trying again', async () => {
      const { sharer, postId } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      mastodon.fail('create_status', {
        reply: { status: 429, body: { error: 'Too many requests' }, headers: { 'Retry-After': '8' } },
      });
      const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;

      const waiting = await eventually(
        () => shareRow(shareId),
        (row) => row.status === 'SCHEDULED' && row.attempts === 1,
      );
      // The first backoff is 2.5–5 s: only Retry-After makes the wait 8 s.
      expect(waiting.nextAttemptAt.getTime() - waiting.updatedAt.getTime()).toBeGreaterThanOrEqual(7_900);
      expect((await shareStatus(t, sharer, shareId)).failureReason).toBe('Mastodon asked to slow down: Too many requests');
      await eventually(() => shareStatus(t, sharer, shareId), posted);
      expect(statusesOf(account.id)).toHaveLength(1);
    }, 40_000);

    it(
      'tries an ambiguous post again with the same Idempotency-Key, and Mastodon keeps one status',
      async () => {
        const { sharer, postId } = await peers();
        const { channel, account } = await mastodonChannel(sharer);
        mastodon.hangAfterPostingNext();
        const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;

        const done = await eventually(() => shareStatus(t, sharer, shareId), posted, AMBIGUOUS_TIMEOUT_MS);
        const tries = mastodon.requests.filter((r) => r.route === 'create_status' && r.headers['idempotency-key'] === rawId(shareId));
        expect(tries).toHaveLength(2);
        expect(statusesOf(account.id)).toHaveLength(1);
        expect(done.externalUrl).toBe(statusesOf(account.id)[0]!.url);
        expect(await balanceOf(t, sharer)).toBe(110);
      },
      AMBIGUOUS_TIMEOUT_MS + 10_000,
    );

    it('resumes a share whose worker died while posting, and the post goes out once', async () => {
      const { sharer, postId } = await peers();
      const { channel, account } = await mastodonChannel(sharer);
      const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).data!.sharePost[0].id;
      // What a worker leaves behind when it is killed after Mastodon made the status: the request went out
      // with the share id as key, and the share is POSTING under a lease nobody renews any more.
      const sent = await fetch(`${mastodon.url}/api/v1/statuses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json', 'idempotency-key': rawId(shareId) },
        body: JSON.stringify({ status: 'Worth a read' }),
      });
      expect(sent.status).toBe(200);
      await t.sql.query(
        `UPDATE shares SET status = 'POSTING', attempts = 1, lease_token = gen_random_uuid(), lease_expires_at = now() - interval '1 second',
                next_attempt_at = now() WHERE id = $1`,
        [rawId(shareId)],
      );

      const done = await eventually(() => shareStatus(t, sharer, shareId), posted);
      expect(statusesOf(account.id)).toHaveLength(1);
      expect(done.externalUrl).toBe(statusesOf(account.id)[0]!.url);
      expect(await shareRow(shareId)).toMatchObject({ status: 'POSTED', attempts: 2, ambiguous: false });
    });

    it(`leaves at least CHANNEL_MIN_INTERVAL_SECONDS between two posts to one channel`, async () => {
      const { sharer, postId, another } = await peers();
      const second = await another();
      const { channel, account } = await mastodonChannel(sharer);
      const a = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;
      const b = (await share(t, sharer, second, [channel])).data!.sharePost[0].id;
      for (const id of [a, b]) await eventually(() => shareStatus(t, sharer, id), posted);

      const times = statusesOf(account.id).map((s) => Date.parse(s.createdAt));
      expect(times).toHaveLength(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(MIN_INTERVAL_SECONDS * 1000);
    });
  });

  describe('to a webhook', () => {
    it('counts a channel’s interval from when its last post was made, however long making it took', async () => {
      const { sharer, postId, another } = await peers();
      const second = await another();
      const channel = await webhookChannel(t, sharer, sink);
      // The receiver takes 1.5 s to make the first post; the second still waits the whole interval after it.
      sink.fail({ delayMs: 1_500 });
      const ids = [
        (await share(t, sharer, postId, [channel])).data!.sharePost[0].id,
        (await share(t, sharer, second, [channel])).data!.sharePost[0].id,
      ];
      for (const id of ids) await eventually(() => shareStatus(t, sharer, id), posted);

      const times = sink.deliveries.filter((d) => d.path === `/hooks/${sharer.handle}`).map((d) => d.receivedAt);
      expect(times).toHaveLength(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(MIN_INTERVAL_SECONDS * 1000);
    });
  });

  describe('to Bluesky', () => {
    it('posts a share with its link as a facet and an external embed', async () => {
      const { sharer, postId } = await peers();
      const account = bluesky.addAccount(`b${Date.now().toString(36)}.bsky.social`);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'BLUESKY', handle: account.handle, instanceUrl: bluesky.url, appPassword: account.appPassword } },
        sharer.token,
      );
      const shareId = (await share(t, sharer, postId, [connectChannel.channel.id])).data!.sharePost[0].id;
      const done = await eventually(() => shareStatus(t, sharer, shareId), posted);

      const records = bluesky.posts.filter((p) => p.did === account.did);
      expect(records).toHaveLength(1);
      const url = (records[0]!.value.embed as { external: { uri: string } }).external.uri;
      expect(records[0]!.value.text).toBe(`A post worth sharing ${url}`);
      expect(done.externalUrl).toBe(`https://bsky.app/profile/${account.handle}/post/${records[0]!.rkey}`);
    });

    it(
      'looks for an ambiguous post before posting again, where the network keeps no idempotency key',
      async () => {
        const { sharer, postId } = await peers();
        const account = bluesky.addAccount(`a${Date.now().toString(36)}.bsky.social`);
        const { connectChannel } = await ok(
          t,
          CONNECT,
          { i: { network: 'BLUESKY', handle: account.handle, instanceUrl: bluesky.url, appPassword: account.appPassword } },
          sharer.token,
        );
        bluesky.hangAfterPostingNext();
        const shareId = (await share(t, sharer, postId, [connectChannel.channel.id])).data!.sharePost[0].id;

        const done = await eventually(() => shareStatus(t, sharer, shareId), posted, AMBIGUOUS_TIMEOUT_MS);
        const records = bluesky.posts.filter((p) => p.did === account.did);
        expect(records).toHaveLength(1);
        expect(done.externalUrl).toContain(records[0]!.rkey);
        expect(bluesky.requests.filter((r) => r.route === 'listRecords').length).toBeGreaterThanOrEqual(1);
      },
      AMBIGUOUS_TIMEOUT_MS + 10_000,
    );
  });

  describe('when the post closes after a try that may have gone out', () => {
    const WITHDRAW = `mutation($id: ID!) { withdrawPost(id: $id) { status } }`;

    /** A share to a Bluesky channel whose last try timed out after sending, then its post withdrawn. */
    async function ambiguousShareOfWithdrawnPost(options: { wentOut: boolean }) {
      const { author, sharer, postId } = await peers();
      const account = bluesky.addAccount(`w${Date.now().toString(36)}.bsky.social`);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'BLUESKY', handle: account.handle, instanceUrl: bluesky.url, appPassword: account.appPassword } },
        sharer.token,
      );
      const shareId = (await share(t, sharer, postId, [connectChannel.channel.id], { scheduledFor: inSeconds(3600) })).data!.sharePost[0]
        .id;
      if (options.wentOut) {
        // The earlier try's record, whose answer never came back.
        const link = await shortUrlOf(shareId);
        const xrpc = (method: string, body: unknown, token?: string) =>
          fetch(`${bluesky.url}/xrpc/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(body),
          }).then((r) => r.json() as Promise<Record<string, string>>);
        const session = await xrpc('com.atproto.server.createSession', { identifier: account.handle, password: account.appPassword });
        await xrpc(
          'com.atproto.repo.createRecord',
          {
            repo: session.did,
            collection: 'app.bsky.feed.post',
            record: { text: `Worth a read ${link}`, createdAt: new Date().toISOString() },
          },
          session.accessJwt,
        );
      }
      await t.sql.query(`UPDATE shares SET ambiguous = true, attempts = 1, next_attempt_at = now() WHERE id = $1`, [rawId(shareId)]);
      await ok(t, WITHDRAW, { id: postId }, author.token);
      const looksBefore = bluesky.requests.filter((r) => r.route === 'listRecords').length;
      await t.app.get(JobQueue).add('share.deliver', { shareId: rawId(shareId) }, { jobId: `deliver:${rawId(shareId)}:closed` });
      return {
        author,
        sharer,
        shareId,
        account,
        looks: () => bluesky.requests.filter((r) => r.route === 'listRecords').length - looksBefore,
      };
    }

    it('looks for the post instead of cancelling the share: found, the share is posted and the sharer paid', async () => {
      const { author, sharer, shareId, account, looks } = await ambiguousShareOfWithdrawnPost({ wentOut: true });
      const done = await eventually(() => shareStatus(t, sharer, shareId), posted);
      const records = bluesky.posts.filter((p) => p.did === account.did);
      expect(records).toHaveLength(1);
      expect(done.externalUrl).toContain(records[0]!.rkey);
      expect(looks()).toBeGreaterThanOrEqual(1);
      expect(await balanceOf(t, sharer)).toBe(110);
      // The author got back what no share held when the post was withdrawn; the held 10 went to the sharer.
      expect(await balanceOf(t, author)).toBe(90);
    });

    it('cancels the share when the post is not on the account, without posting it, and the author gets the credits back', async () => {
      const { author, sharer, shareId, account, looks } = await ambiguousShareOfWithdrawnPost({ wentOut: false });
      const done = await eventually(
        () => shareStatus(t, sharer, shareId),
        (s) => s.status === 'CANCELLED',
      );
      expect(done.failureReason).toBe('The post was withdrawn or rejected before it went out');
      expect(bluesky.posts.filter((p) => p.did === account.did)).toEqual([]);
      expect(looks()).toBeGreaterThanOrEqual(1);
      expect(await balanceOf(t, sharer)).toBe(100);
      expect(await balanceOf(t, author)).toBe(100);
    });
  });

  describe('in batches', () => {
    it('claims and records shares that come due together in shared transactions: each posted once, paid, counted', async () => {
      const author = await signUp(t);
      const sharers = await Promise.all(Array.from({ length: 6 }, () => signUp(t)));
      const niche = await nicheWith(t, admin, author, ...sharers);
      const posts = [
        await approvedPost(t, admin, author, niche, { creditsPerShare: 5, budget: 40 }),
        await approvedPost(t, admin, author, niche, { creditsPerShare: 5, budget: 40 }),
      ];
      const held = await approvedPost(t, admin, author, niche, { creditsPerShare: 5, budget: 10 });
      const channels = await Promise.all(sharers.map((sharer) => webhookChannel(t, sharer, sink)));
      const queue = t.app.get(JobQueue).queue('share.deliver');
      // Every job waits in the paused queue, then all run at once: the worker's batches mix shares of
      // several posts and channels, two shares of each channel, and a share whose post is paused.
      await queue.pause();
      let heldShare: string;
      const shareIds: Array<{ sharer: SignedIn; id: string }> = [];
      try {
        for (const [i, sharer] of sharers.entries()) {
          for (const postId of posts) {
            shareIds.push({ sharer, id: (await share(t, sharer, postId, [channels[i]!])).data!.sharePost[0].id });
          }
        }
        heldShare = (await share(t, sharers[0]!, held, [channels[0]!])).data!.sharePost[0].id;
        await ok(t, PAUSE, { i: { scope: 'POST', postId: held, reason: 'Checking a report' } }, admin.token);
      } finally {
        await queue.resume();
      }

      for (const { sharer, id } of shareIds) await eventually(() => shareStatus(t, sharer, id), posted, 30_000);
      for (const { id } of shareIds) expect(sink.timesReceived(rawId(id))).toBe(1);
      for (const sharer of sharers) expect(await balanceOf(t, sharer)).toBe(110);
      const { rows: counts } = await t.sql.query(`SELECT posted_share_count AS n FROM posts WHERE id = ANY($1::uuid[])`, [
        posts.map(rawId),
      ]);
      expect(counts.map((r: { n: number }) => r.n)).toEqual([6, 6]);
      const { rows: pairs } = await t.sql.query(`SELECT sharer_id, shares FROM reciprocity WHERE author_id = $1`, [rawId(author.id)]);
      expect(pairs.map((r: { shares: number }) => r.shares)).toEqual(sharers.map(() => 2));
      // Two shares of one channel due together still go out CHANNEL_MIN_INTERVAL_SECONDS apart.
      for (const sharer of sharers) {
        const times = sink.deliveries.filter((d) => d.path === `/hooks/${sharer.handle}`).map((d) => d.receivedAt);
        expect(times).toHaveLength(2);
        expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(MIN_INTERVAL_SECONDS * 1000);
      }

      // The paused post's share waited in its batch, and goes once sharing resumes.
      expect((await shareStatus(t, sharers[0]!, heldShare!)).status).toBe('SCHEDULED');
      await ok(t, RESUME, { i: { scope: 'POST', postId: held, reason: 'The report was wrong' } }, admin.token);
      await eventually(() => shareStatus(t, sharers[0]!, heldShare!), posted, 30_000);
      expect(await balanceOf(t, sharers[0]!)).toBe(115);
    }, 60_000);
  });

  describe('recovery', () => {
    it('delivers a share whose queued job was lost', async () => {
      const { sharer, postId } = await peers();
      const channel = await webhookChannel(t, sharer, sink);
      const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(2) })).data!.sharePost[0].id;
      const job = await t.app
        .get(JobQueue)
        .queue('share.deliver')
        .getJob(`deliver:${rawId(shareId)}`);
      expect(job).not.toBeNull();
      await job!.remove();

      await eventually(() => shareStatus(t, sharer, shareId), posted, 40_000);
      expect(sink.timesReceived(rawId(shareId))).toBe(1);
    }, 50_000);

    it('delivers an overdue share even when a job of the sweeper’s for it failed', async () => {
      const { sharer, postId } = await peers();
      const channel = await webhookChannel(t, sharer, sink);
      const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).data!.sharePost[0].id;
      const due = new Date(Date.now() - 20_000);
      await t.sql.query(`UPDATE shares SET next_attempt_at = $2 WHERE id = $1`, [rawId(shareId), due]);
      // Bull keeps a failed job, and refuses a new job under its id while it does: the sweeper must not
      // keep offering the share under that same id.
      const queue = t.app.get(JobQueue).queue('share.deliver');
      const jobId = `deliver:${rawId(shareId)}:sweep:0:${due.getTime()}`;
      await queue.add({ shareId: 'not-a-share-id' }, { jobId, attempts: 1, removeOnFail: 1000 });
      await eventually(
        async () => (await queue.getJob(jobId))?.isFailed(),
        (failed) => failed === true,
      );
      await eventually(() => shareStatus(t, sharer, shareId), posted, 40_000);
    }, 50_000);

    it('refuses to cancel a share whose last try may have gone out', async () => {
      const { sharer, postId } = await peers();
      const channel = await webhookChannel(t, sharer, sink);
      const shareId = (await share(t, sharer, postId, [channel], { scheduledFor: inSeconds(3600) })).data!.sharePost[0].id;
      await t.sql.query(`UPDATE shares SET ambiguous = true, attempts = 1 WHERE id = $1`, [rawId(shareId)]);
      const res = await t.gql(`mutation($id: ID!) { cancelShare(id: $id) { status } }`, { id: shareId }, { token: sharer.token });
      expect(codeOf(res)).toBe('CONFLICT');
      expect((await shareStatus(t, sharer, shareId)).status).toBe('SCHEDULED');
    });
  });
});
