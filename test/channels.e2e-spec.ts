import { Webhook } from 'standardwebhooks';
import {
  type BlueskyFake,
  type MastodonFake,
  startBlueskyFake,
  startMastodonFake,
  startWebhookSink,
  startXFake,
  type WebhookSinkFake,
  type XFake,
} from '@sharepool/testing/fakes';
import { approvedPost, eventually, inSeconds, nicheWith, ok, rawId, share, shareStatus, webhookChannel } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CONNECT = `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id network handle audienceSize status } signingSecret } }`;
const CHANNELS = `{ viewer { channels { id network handle status statusReason } } }`;

describe('channels', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;
  let mastodon: MastodonFake;
  let bluesky: BlueskyFake;
  let x: XFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    mastodon = await startMastodonFake();
    bluesky = await startBlueskyFake();
    x = await startXFake();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0', X_API_BASE_URL: x.url } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([sink.close(), mastodon.close(), bluesky.close(), x.close()]);
  });

  const sealedOf = async (channelId: string): Promise<string> =>
    (await t.sql.query(`SELECT credentials_sealed FROM channels WHERE id = $1`, [rawId(channelId)])).rows[0].credentials_sealed;

  describe('connecting', () => {
    it('connects a webhook channel and shows its signing secret only in the answer to connectChannel', async () => {
      const member = await signUp(t);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'WEBHOOK', handle: 'my-site', webhookUrl: sink.hookUrl('my-site?token=url-secret') } },
        member.token,
      );
      expect(connectChannel.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(connectChannel.channel).toEqual({
        id: expect.any(String),
        network: 'WEBHOOK',
        handle: 'my-site',
        audienceSize: 0,
        status: 'ACTIVE',
      });
      const listed = await ok(t, CHANNELS, {}, member.token);
      expect(listed.viewer.channels).toEqual([
        { id: connectChannel.channel.id, network: 'WEBHOOK', handle: 'my-site', status: 'ACTIVE', statusReason: null },
      ]);
      expect(JSON.stringify(listed)).not.toContain(connectChannel.signingSecret);
    });

    it('exposes no credential field on Channel', async () => {
      const member = await signUp(t);
      const { __type } = await ok(t, `{ __type(name: "Channel") { fields { name } } }`, {}, member.token);
      const names = __type.fields.map((f: { name: string }) => f.name).sort();
      expect(names).toEqual([
        'audienceCheckedAt',
        'audienceSize',
        'audienceVerified',
        'createdAt',
        'handle',
        'id',
        'network',
        'status',
        'statusReason',
      ]);
    });

    it('stores credentials sealed with AES-256-GCM under the key version, bound to the channel', async () => {
      const member = await signUp(t);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'MASTODON', handle: 'alice', instanceUrl: mastodon.url, accessToken: mastodon.account.accessToken } },
        member.token,
      );
      const sealed = await sealedOf(connectChannel.channel.id);
      expect(sealed).toMatch(/^cc1\.1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain(mastodon.account.accessToken);
      expect(sealed).not.toContain(Buffer.from(mastodon.account.accessToken).toString('base64url'));

      // Sealed for one channel, it does not open for another: the next delivery there asks for reconnection.
      const other = await ok(
        t,
        CONNECT,
        { i: { network: 'WEBHOOK', handle: 'copy-target', webhookUrl: sink.hookUrl('copy-target') } },
        member.token,
      );
      await t.sql.query(`UPDATE channels SET credentials_sealed = $2 WHERE id = $1`, [rawId(other.connectChannel.channel.id), sealed]);
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author, member);
      const postId = await approvedPost(t, admin, author, niche);
      const shareId = (await share(t, member, postId, [other.connectChannel.channel.id])).data!.sharePost[0].id;
      const done = await eventually(
        () => shareStatus(t, member, shareId),
        (s) => s.status === 'FAILED',
      );
      expect(done.failureReason).toBe('The channel needs reconnecting');
      const listed = (await ok(t, CHANNELS, {}, member.token)).viewer.channels;
      expect(listed.find((c: { id: string }) => c.id === other.connectChannel.channel.id).status).toBe('NEEDS_REAUTH');
    });

    it('connects a Mastodon channel after verify_credentials, taking the account’s handle and audience', async () => {
      const member = await signUp(t);
      const account = mastodon.addAccount(`m${Date.now().toString(36)}`, { followersCount: 321 });
      const before = mastodon.requests.length;
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'MASTODON', handle: 'what-i-typed', instanceUrl: mastodon.url, accessToken: account.accessToken } },
        member.token,
      );
      expect(connectChannel).toEqual({
        channel: { id: expect.any(String), network: 'MASTODON', handle: account.username, audienceSize: 321, status: 'ACTIVE' },
        signingSecret: null,
      });
      const calls = mastodon.requests.slice(before);
      expect(calls.map((r) => r.route)).toEqual(['verify_credentials']);
      expect(calls[0]!.headers.authorization).toBe(`Bearer ${account.accessToken}`);
    });

    it('refuses a Mastodon token the instance does not accept, without repeating it', async () => {
      const member = await signUp(t);
      const res = await t.gql(
        CONNECT,
        { i: { network: 'MASTODON', handle: 'alice', instanceUrl: mastodon.url, accessToken: 'not-a-real-token-123456' } },
        { token: member.token },
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('accessToken');
      expect(JSON.stringify(res.errors)).not.toContain('not-a-real-token-123456');
      expect((await ok(t, CHANNELS, {}, member.token)).viewer.channels).toEqual([]);
    });

    it('connects a Bluesky channel after createSession and refuses a wrong app password', async () => {
      const member = await signUp(t);
      const account = bluesky.addAccount(`b${Date.now().toString(36)}.bsky.social`, { followersCount: 55 });
      const wrong = await t.gql(
        CONNECT,
        { i: { network: 'BLUESKY', handle: account.handle, instanceUrl: bluesky.url, appPassword: 'aaaa-bbbb-cccc-dddd' } },
        { token: member.token },
      );
      expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
      expect(wrong.errors![0]!.extensions.field).toBe('appPassword');
      expect(JSON.stringify(wrong.errors)).not.toContain('aaaa-bbbb-cccc-dddd');

      const sessions = bluesky.sessionsCreated;
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'BLUESKY', handle: account.handle, instanceUrl: bluesky.url, appPassword: account.appPassword } },
        member.token,
      );
      expect(connectChannel.channel).toMatchObject({ network: 'BLUESKY', handle: account.handle, audienceSize: 55, status: 'ACTIVE' });
      expect(bluesky.sessionsCreated).toBe(sessions + 1);
    });

    it('refuses to connect the same account twice', async () => {
      const member = await signUp(t);
      const input = { network: 'MASTODON', handle: 'alice', instanceUrl: mastodon.url, accessToken: mastodon.account.accessToken };
      await ok(t, CONNECT, { i: input }, member.token);
      const again = await t.gql(CONNECT, { i: input }, { token: member.token });
      expect(codeOf(again)).toBe('CONFLICT');
    });

    it('shows a channel through node(id) to its owner only', async () => {
      const owner = await signUp(t);
      const channel = await webhookChannel(t, owner, sink);
      const query = `query($id: ID!) { node(id: $id) { ... on Channel { handle network } } }`;
      expect((await ok(t, query, { id: channel }, owner.token)).node).toEqual({ handle: owner.handle, network: 'WEBHOOK' });
      const stranger = await signUp(t);
      expect((await ok(t, query, { id: channel }, stranger.token)).node).toBeNull();
    });
  });

  describe('webhook deliveries', () => {
    it('posts the agreed JSON body, signed with the channel’s secret, with the share id as delivery id', async () => {
      const author = await signUp(t);
      const sharer = await signUp(t);
      const niche = await nicheWith(t, admin, author, sharer);
      const postId = await approvedPost(t, admin, author, niche, { title: 'Signed and sealed' });
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'WEBHOOK', handle: 'signed', webhookUrl: sink.hookUrl(`signed-${sharer.handle}`) } },
        sharer.token,
      );
      sink.acceptSecret(connectChannel.signingSecret);
      const shareId = (await share(t, sharer, postId, [connectChannel.channel.id], { message: 'Read this' })).data!.sharePost[0].id;
      const done = await eventually(
        () => shareStatus(t, sharer, shareId),
        (s) => s.status === 'POSTED',
      );

      const delivery = rawId(shareId);
      const [request] = sink.requests.filter((r) => r.headers['webhook-id'] === delivery);
      expect(request!.path).toBe(`/hooks/signed-${sharer.handle}`);
      expect(request!.headers['content-type']).toBe('application/json');
      // The member's receiver verifies it with the standardwebhooks package and the secret shown once.
      expect(connectChannel.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(new Webhook(connectChannel.signingSecret).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({
        deliveryId: delivery,
      });
      expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      const body = JSON.parse(request!.body);
      expect(body).toEqual({
        deliveryId: delivery,
        shareId: delivery,
        post: { id: rawId(postId), url: expect.stringMatching(/^https:\/\/blog\.example\.com\//), title: 'Signed and sealed' },
        shortUrl: expect.stringMatching(new RegExp(`^${t.config.publicUrl}/s/[0-9A-Za-z]{8}$`)),
        message: `Read this ${body.shortUrl}`,
        sharer: { handle: sharer.handle },
        postedAt: expect.any(String),
      });
      expect(done.externalUrl).toBe(`${sink.url}/deliveries/${delivery}`);
      expect(JSON.stringify(request!.headers)).not.toContain(connectChannel.signingSecret);
    });
  });

  describe('addresses a network answers', () => {
    it('posts a share whose Mastodon server answers a javascript: address, and keeps no address for it', async () => {
      const author = await signUp(t);
      const sharer = await signUp(t);
      const niche = await nicheWith(t, admin, author, sharer);
      const postId = await approvedPost(t, admin, author, niche, { title: 'Untrusted answers' });
      const account = mastodon.addAccount(`m${Date.now().toString(36)}`);
      const { connectChannel } = await ok(
        t,
        CONNECT,
        { i: { network: 'MASTODON', handle: account.username, instanceUrl: mastodon.url, accessToken: account.accessToken } },
        sharer.token,
      );
      mastodon.answerAddressesNext({ url: 'javascript:alert(document.cookie)', uri: 'https://evil.example/statuses/1' });
      const shareId = (await share(t, sharer, postId, [connectChannel.channel.id])).data!.sharePost[0].id;
      const done = await eventually(
        () => shareStatus(t, sharer, shareId),
        (s) => s.status === 'POSTED',
      );
      expect(done.externalUrl).toBeNull();
      const { rows } = await t.sql.query(`SELECT external_url FROM shares WHERE id = $1`, [rawId(shareId)]);
      expect(rows).toEqual([{ external_url: null }]);
    });
  });

  describe('message limits', () => {
    let author: SignedIn;
    let sharer: SignedIn;
    let niche: string;

    beforeAll(async () => {
      author = await signUp(t);
      sharer = await signUp(t);
      niche = await nicheWith(t, admin, author, sharer);
    });

    /** A post whose link is `length` characters long. */
    async function postWithLink(length: number): Promise<{ postId: string; url: string }> {
      const prefix = `https://blog.example.com/${Date.now().toString(36)}-`;
      const url = prefix + 'a'.repeat(length - prefix.length);
      return { postId: await approvedPost(t, admin, author, niche, { url, budget: 10 }), url };
    }

    async function connect(input: Record<string, unknown>): Promise<string> {
      return (await ok(t, CONNECT, { i: input }, sharer.token)).connectChannel.channel.id;
    }

    const later = { scheduledFor: inSeconds(3600) };

    it('counts the link as 23 characters on X, where 280 fit', async () => {
      const user = x.addUser(`x${Date.now().toString(36)}`);
      const channel = await connect({ network: 'X', handle: user.username, accessToken: user.accessToken });
      const { postId } = await postWithLink(90);
      const tooLong = await share(t, sharer, postId, [channel], { message: 'x'.repeat(257), ...later });
      expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
      expect(tooLong.errors![0]!.extensions).toMatchObject({ field: 'message', network: 'X', length: 281, limit: 280 });
      expect((await share(t, sharer, postId, [channel], { message: 'x'.repeat(256), ...later })).errors).toBeUndefined();
    });

    it("counts graphemes on Bluesky, where 300 fit, the whole short link included (not the post's URL)", async () => {
      const account = bluesky.addAccount(`l${Date.now().toString(36)}.bsky.social`);
      const channel = await connect({
        network: 'BLUESKY',
        handle: account.handle,
        instanceUrl: bluesky.url,
        appPassword: account.appPassword,
      });
      const { postId } = await postWithLink(60);
      // A thumbs-up with a skin tone: two code points, one grapheme. The text is the message, a space and the short link.
      const thumbs = '\u{1F44D}\u{1F3FD}';
      const room = 300 - 1 - `${t.config.publicUrl}/s/Ab3dE5gH`.length;
      const tooLong = await share(t, sharer, postId, [channel], { message: thumbs.repeat(room + 1), ...later });
      expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
      expect(tooLong.errors![0]!.extensions).toMatchObject({ network: 'BLUESKY', length: 301, limit: 300 });
      expect((await share(t, sharer, postId, [channel], { message: thumbs.repeat(room), ...later })).errors).toBeUndefined();
    });

    it('allows 500 characters on Mastodon and 3,000 on LinkedIn', async () => {
      const mastodonChannel = await connect({
        network: 'MASTODON',
        handle: 'alice',
        instanceUrl: mastodon.url,
        accessToken: mastodon.account.accessToken,
      });
      const { postId } = await postWithLink(80);
      const tooLong = await share(t, sharer, postId, [mastodonChannel], { message: 'm'.repeat(477), ...later });
      expect(tooLong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', network: 'MASTODON', length: 501, limit: 500 });
      expect((await share(t, sharer, postId, [mastodonChannel], { message: 'm'.repeat(476), ...later })).errors).toBeUndefined();
    });

    it('refuses the whole share when the message does not fit one of the chosen channels', async () => {
      const user = x.addUser(`y${Date.now().toString(36)}`);
      const xChannel = await connect({ network: 'X', handle: user.username, accessToken: user.accessToken });
      const webhook = await webhookChannel(t, sharer, sink, `limits-${Date.now().toString(36)}`);
      const { postId } = await postWithLink(60);
      const res = await share(t, sharer, postId, [webhook, xChannel], { message: 'w'.repeat(300), ...later });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      const mine = await ok(t, `{ viewer { shares(first: 50) { nodes { post { id } } } } }`, {}, sharer.token);
      expect(mine.viewer.shares.nodes.filter((s: { post: { id: string } }) => s.post.id === postId)).toEqual([]);
    });
  });

  describe('disconnecting', () => {
    it('cancels the channel’s scheduled shares, returns their credits and forgets the credentials', async () => {
      const author = await signUp(t);
      const sharer = await signUp(t);
      const niche = await nicheWith(t, admin, author, sharer);
      const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 10, budget: 30 });
      const channel = await webhookChannel(t, sharer, sink);
      const kept = await webhookChannel(t, sharer, sink, `${sharer.handle}-kept`);
      const [gone, stays] = (await share(t, sharer, postId, [channel, kept], { scheduledFor: inSeconds(3600) })).data!.sharePost;
      const budget = `query($id: ID!) { node(id: $id) { ... on Post { budgetRemaining } } }`;
      expect((await ok(t, budget, { id: postId }, author.token)).node.budgetRemaining).toBe(10);

      const { disconnectChannel } = await ok(
        t,
        `mutation($id: ID!) { disconnectChannel(id: $id) { status } }`,
        { id: channel },
        sharer.token,
      );
      expect(disconnectChannel.status).toBe('DISCONNECTED');
      expect(await shareStatus(t, sharer, gone.id)).toMatchObject({ status: 'CANCELLED', failureReason: 'The channel was disconnected' });
      expect((await shareStatus(t, sharer, stays.id)).status).toBe('SCHEDULED');
      expect((await ok(t, budget, { id: postId }, author.token)).node.budgetRemaining).toBe(20);
      expect((await ok(t, CHANNELS, {}, sharer.token)).viewer.channels.map((c: { id: string }) => c.id)).toEqual([kept]);
      expect(await sealedOf(channel)).toBe('');

      const again = await t.gql(`mutation($id: ID!) { disconnectChannel(id: $id) { status } }`, { id: channel }, { token: sharer.token });
      expect(codeOf(again)).toBe('NOT_FOUND');
      const otherPost = await approvedPost(t, admin, author, niche);
      expect(codeOf(await share(t, sharer, otherPost, [channel]))).toBe('NOT_FOUND');
    });

    it('lets only the owner disconnect a channel', async () => {
      const owner = await signUp(t);
      const channel = await webhookChannel(t, owner, sink);
      const stranger = await signUp(t);
      const res = await t.gql(`mutation($id: ID!) { disconnectChannel(id: $id) { status } }`, { id: channel }, { token: stranger.token });
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect((await ok(t, CHANNELS, {}, owner.token)).viewer.channels).toHaveLength(1);
    });
  });
});
