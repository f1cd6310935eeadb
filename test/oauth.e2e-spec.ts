import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AudienceChecker, CredentialCipher, TokenRefresher } from '@sharepool/channels';
import { CoreModule } from '@sharepool/runtime';
import {
  answerConsentPage,
  type LinkedInFake,
  type MastodonFake,
  startLinkedInFake,
  startMastodonFake,
  startXFake,
  startWebhookSink,
  type WebhookSinkFake,
  type XFake,
} from '@sharepool/testing/fakes';
import { approvedPost, eventually, nicheWith, ok, rawId, share, shareStatus } from './support/flows.js';
import { codeOf, signInAdmin, signUp, type SignedIn } from './support/members.js';
import { arriveAtCallback, connectThroughConsent, startConnection } from './support/oauth-flow.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CHANNELS = `{ viewer { channels { id network handle audienceSize audienceVerified audienceCheckedAt status statusReason } } }`;
const CONNECT = `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id handle audienceSize audienceVerified } } }`;

interface ListedChannel {
  id: string;
  network: string;
  handle: string;
  audienceSize: number;
  audienceVerified: boolean;
  audienceCheckedAt: string | null;
  status: string;
  statusReason: string | null;
}

describe('connecting channels through the networks’ consent pages (OAuth)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let mastodon: MastodonFake;
  let x: XFake;
  let linkedIn: LinkedInFake;
  let sink: WebhookSinkFake;
  let cipher: CredentialCipher;

  beforeAll(async () => {
    [mastodon, x, linkedIn, sink] = await Promise.all([startMastodonFake(), startXFake(), startLinkedInFake(), startWebhookSink()]);
    t = await startTestApp({
      worker: true,
      env: {
        CHANNEL_MIN_INTERVAL_SECONDS: '0',
        X_API_BASE_URL: x.url,
        X_AUTH_BASE_URL: x.url,
        X_CLIENT_ID: x.client.clientId,
        X_CLIENT_SECRET: x.client.clientSecret!,
        LINKEDIN_API_BASE_URL: linkedIn.url,
        LINKEDIN_AUTH_BASE_URL: linkedIn.url,
        LINKEDIN_CLIENT_ID: linkedIn.client.clientId,
        LINKEDIN_CLIENT_SECRET: linkedIn.client.clientSecret,
      },
    });
    admin = await signInAdmin(t);
    cipher = t.app.get(CredentialCipher);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([mastodon.close(), x.close(), linkedIn.close(), sink.close()]);
  });

  const channelsOf = async (member: SignedIn): Promise<ListedChannel[]> => (await ok(t, CHANNELS, {}, member.token)).viewer.channels;
  const channelOf = async (member: SignedIn, id: string): Promise<ListedChannel | undefined> =>
    (await channelsOf(member)).find((c) => c.id === id);
  const row = async (channelId: string) =>
    (
      await t.sql.query(
        `SELECT credentials_sealed, access_expires_at, refresh_expires_at, refreshable, account_id, refresh_lease FROM channels WHERE id = $1`,
        [rawId(channelId)],
      )
    ).rows[0];
  const credentialsOf = async (channelId: string) => cipher.decrypt(rawId(channelId), (await row(channelId)).credentials_sealed);
  const refreshRequests = (fake: { requests: readonly { route: string; body: string }[] }) =>
    fake.requests.filter((r) => r.route === 'token' && r.body.includes('grant_type=refresh_token'));

  describe('Mastodon', () => {
    it('registers Sharepool on a new instance once, then connects the member’s account through its consent page', async () => {
      const member = await signUp(t);
      const account = mastodon.addAccount(`m${Date.now().toString(36)}`, { followersCount: 87 });
      mastodon.signIn(account);
      const { location, channelId, error } = await connectThroughConsent(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      expect(error).toBeNull();
      expect(location.origin + location.pathname).toBe(`${t.url}/channels`);
      expect(await channelOf(member, channelId!)).toMatchObject({
        network: 'MASTODON',
        handle: account.username,
        audienceSize: 87,
        audienceVerified: true,
        status: 'ACTIVE',
      });
      expect(mastodon.apps).toHaveLength(1);
      expect(mastodon.apps[0]).toMatchObject({
        name: 'Sharepool',
        redirectUris: [`${t.url}/oauth/callback`],
        scopes: ['read:accounts', 'write:statuses'],
      });

      // The app's secret is kept sealed; the next member of the instance uses the same app.
      const [app] = (await t.sql.query(`SELECT client_id, client_secret_sealed FROM mastodon_apps`)).rows;
      expect(app.client_id).toBe(mastodon.apps[0]!.clientId);
      expect(app.client_secret_sealed).toMatch(/^cc1\./);
      expect(app.client_secret_sealed).not.toContain(mastodon.apps[0]!.clientSecret);
      const other = await signUp(t);
      const second = mastodon.addAccount(`n${Date.now().toString(36)}`);
      mastodon.signIn(second);
      expect((await connectThroughConsent(t, other, { network: 'MASTODON', instanceUrl: mastodon.url })).channelId).toEqual(
        expect.any(String),
      );
      expect(mastodon.apps).toHaveLength(1);
    });

    it('asks for the Mastodon scopes with PKCE, and the channel posts with the token the instance granted', async () => {
      const member = await signUp(t);
      const account = mastodon.addAccount(`p${Date.now().toString(36)}`);
      mastodon.signIn(account);
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const authorize = new URL(started.authorizeUrl);
      expect(authorize.origin + authorize.pathname).toBe(`${mastodon.url}/oauth/authorize`);
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
        response_type: 'code',
        redirect_uri: `${t.url}/oauth/callback`,
        scope: 'read:accounts write:statuses',
        code_challenge_method: 'S256',
        code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const { location } = await arriveAtCallback(await answerConsentPage(started.authorizeUrl), started.cookie);
      const channelId = location.searchParams.get('connected')!;
      const token = mastodon.requests.filter((r) => r.route === 'token').at(-1)!;
      expect(token.body).toContain('"code_verifier"');
      const credentials = await credentialsOf(channelId);
      expect(credentials).toEqual({ instanceUrl: mastodon.url, accessToken: expect.any(String) });

      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author, member);
      const postId = await approvedPost(t, admin, author, niche);
      const shareId = (await share(t, member, postId, [channelId])).data!.sharePost[0].id;
      await eventually(
        () => shareStatus(t, member, shareId),
        (s) => s.status === 'POSTED',
      );
      expect(mastodon.statuses.at(-1)!.accountId).toBe(account.id);
    });

    it('sends the member back with the refusal in words when they deny the consent, and connects nothing', async () => {
      const member = await signUp(t);
      const { location, channelId, error } = await connectThroughConsent(
        t,
        member,
        { network: 'MASTODON', instanceUrl: mastodon.url, returnTo: '/channels?tab=mine' },
        'deny',
      );
      expect(channelId).toBeNull();
      expect(location.pathname).toBe('/channels');
      expect(location.searchParams.get('tab')).toBe('mine');
      expect(error).toBe('You did not allow Sharepool to use your Mastodon account, so nothing was connected.');
      expect(await channelsOf(member)).toEqual([]);
    });

    it('refuses an address that is not a Mastodon instance on the instanceUrl field', async () => {
      const member = await signUp(t);
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: sink.url });
      expect(codeOf(started.result)).toBe('BAD_USER_INPUT');
      expect(started.result.errors![0]!.extensions.field).toBe('instanceUrl');
      expect(started.setCookie).toBeUndefined();
      const missing = await startConnection(t, member, { network: 'MASTODON' });
      expect(missing.result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'instanceUrl' });
    });
  });

  describe('the state of a connection', () => {
    it('is single use: the same callback a second time is refused and connects nothing more', async () => {
      const member = await signUp(t);
      mastodon.signIn(mastodon.addAccount(`s${Date.now().toString(36)}`));
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const back = await answerConsentPage(started.authorizeUrl);
      const first = await arriveAtCallback(back, started.cookie);
      expect(first.location.searchParams.get('connected')).toEqual(expect.any(String));
      const tokenCalls = mastodon.requests.filter((r) => r.route === 'token').length;
      const again = await arriveAtCallback(back, started.cookie);
      expect(again.location.searchParams.get('error')).toBe(
        'This connection was already finished; start again if the channel is not on your list.',
      );
      expect(mastodon.requests.filter((r) => r.route === 'token')).toHaveLength(tokenCalls);
      expect(await channelsOf(member)).toHaveLength(1);
    });

    it('expires after 10 minutes', async () => {
      const member = await signUp(t);
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const expiresAt = new Date(started.result.data!.startChannelConnection.expiresAt).getTime();
      const { rows } = await t.sql.query(
        `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM channel_connection_attempts
        WHERE member_id = $1`,
        [rawId(member.id)],
      );
      expect(rows[0].seconds).toBe(600);
      expect(expiresAt).toBeGreaterThan(Date.now());
      const back = await answerConsentPage(started.authorizeUrl);
      await t.sql.query(`UPDATE channel_connection_attempts SET expires_at = now() - interval '1 second' WHERE member_id = $1`, [
        rawId(member.id),
      ]);
      const late = await arriveAtCallback(back, started.cookie);
      expect(late.location.searchParams.get('error')).toBe(
        'Connecting to Mastodon took more than 10 minutes and expired; please start again.',
      );
      expect(await channelsOf(member)).toEqual([]);
    });

    it('refuses a state Sharepool never gave, and a callback without one', async () => {
      const unknown = await arriveAtCallback(`${t.url}/oauth/callback?state=made-up-state&code=some-code`, undefined);
      expect(unknown.status).toBe(303);
      expect(unknown.location.pathname).toBe('/channels');
      expect(unknown.location.searchParams.get('error')).toBe(
        'Sharepool does not know this connection (it may be too old); please start again.',
      );
      const bare = await arriveAtCallback(`${t.url}/oauth/callback`, undefined);
      expect(bare.location.searchParams.get('error')).toMatch(/without saying which connection/);
    });

    it('belongs to the browser that started it: the same consent arriving in another browser connects nothing', async () => {
      const member = await signUp(t);
      const victim = await signUp(t);
      mastodon.signIn(mastodon.addAccount(`v${Date.now().toString(36)}`));
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const back = await answerConsentPage(started.authorizeUrl);
      // Another browser: no cookie, or the cookie of someone else's own connection.
      const elsewhere = await startConnection(t, victim, { network: 'MASTODON', instanceUrl: mastodon.url });
      const refused = await arriveAtCallback(back, elsewhere.cookie);
      expect(refused.location.searchParams.get('error')).toBe(
        'Please finish connecting in the browser where you started it; nothing was connected.',
      );
      expect(await channelsOf(member)).toEqual([]);
      expect(await channelsOf(victim)).toEqual([]);
    });

    it('matches the code it was given: a code of one connection with the state of another fails the fake’s PKCE check', async () => {
      const member = await signUp(t);
      mastodon.signIn(mastodon.addAccount(`k${Date.now().toString(36)}`));
      const a = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const b = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url }, a.cookie);
      const backA = new URL(await answerConsentPage(a.authorizeUrl));
      const stateB = new URL(b.authorizeUrl).searchParams.get('state')!;
      backA.searchParams.set('state', stateB);
      const mixed = await arriveAtCallback(backA.toString(), b.cookie);
      expect(mixed.location.searchParams.get('error')).toBe(
        'Mastodon did not accept the sign-in (it may have taken too long); please start again.',
      );
      const answer = mastodon.requests.filter((r) => r.route === 'token').at(-1)!;
      expect(JSON.parse(answer.body).code_verifier).toEqual(expect.any(String));
      expect(await channelsOf(member)).toEqual([]);
    });

    it('never shows a code or a token on the way back to the web app', async () => {
      const member = await signUp(t);
      mastodon.signIn(mastodon.addAccount(`c${Date.now().toString(36)}`));
      const started = await startConnection(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      const back = await answerConsentPage(started.authorizeUrl);
      const code = new URL(back).searchParams.get('code')!;
      const arrived = await arriveAtCallback(back, started.cookie);
      expect(arrived.status).toBe(303);
      const shown = arrived.location.toString() + arrived.body;
      expect(shown).not.toContain(code);
      const token = (await credentialsOf(arrived.location.searchParams.get('connected')!)).accessToken!;
      expect(shown).not.toContain(token);
      expect(started.setCookie).toMatch(/HttpOnly/i);
      expect(started.setCookie).toMatch(/SameSite=Lax/i);
      expect(started.setCookie).toMatch(/Path=\/oauth\/callback/);
    });
  });

  describe('X', () => {
    it('connects through X’s consent page with PKCE, reading the followers from public_metrics', async () => {
      const member = await signUp(t);
      const user = x.addUser(`x${Date.now().toString(36)}`, { followersCount: 4321 });
      x.signIn(user);
      const started = await startConnection(t, member, { network: 'X' });
      const authorize = new URL(started.authorizeUrl);
      expect(authorize.origin + authorize.pathname).toBe(`${x.url}/i/oauth2/authorize`);
      expect(authorize.searchParams.get('scope')).toBe('tweet.read tweet.write users.read offline.access');
      expect(authorize.searchParams.get('code_challenge_method')?.toUpperCase()).toBe('S256');
      const { location } = await arriveAtCallback(await answerConsentPage(started.authorizeUrl), started.cookie);
      const channelId = location.searchParams.get('connected')!;
      expect(await channelOf(member, channelId)).toMatchObject({
        network: 'X',
        handle: user.username,
        audienceSize: 4321,
        audienceVerified: true,
        audienceCheckedAt: expect.any(String),
        status: 'ACTIVE',
      });
      const stored = await row(channelId);
      expect(stored.refreshable).toBe(true);
      expect(stored.account_id).toBe(user.id);
      const hoursLeft = (new Date(stored.access_expires_at).getTime() - Date.now()) / 3_600_000;
      expect(hoursLeft).toBeGreaterThan(1.9);
      expect(hoursLeft).toBeLessThanOrEqual(2);
      expect(await credentialsOf(channelId)).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String) });
      const exchange = x.requests.filter((r) => r.route === 'token').at(-1)!;
      expect(exchange.headers.authorization).toMatch(/^Basic /);
      expect(new URLSearchParams(exchange.body).get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    });

    it('refreshes a token before it expires: the new pair replaces the old, and the channel posts with it', async () => {
      const member = await signUp(t);
      const user = x.addUser(`r${Date.now().toString(36)}`);
      x.signIn(user);
      x.setAccessTokenLifetime(300); // due within the 10 minutes ahead
      const { channelId } = await connectThroughConsent(t, member, { network: 'X' });
      x.setAccessTokenLifetime(7200);
      const before = await credentialsOf(channelId!);
      const refreshes = refreshRequests(x).length;

      // (The worker's own periodic run may get there first: either way, one refresh.)
      await t.app.get(TokenRefresher).refreshDue();
      expect(refreshRequests(x)).toHaveLength(refreshes + 1);
      const after = await credentialsOf(channelId!);
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      const stored = await row(channelId!);
      expect((new Date(stored.access_expires_at).getTime() - Date.now()) / 60_000).toBeGreaterThan(100);
      expect(stored.refresh_lease).toBeNull();

      // Nothing is due now: a second run does not refresh it again.
      await t.app.get(TokenRefresher).refreshDue();
      expect(refreshRequests(x)).toHaveLength(refreshes + 1);

      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author, member);
      const postId = await approvedPost(t, admin, author, niche);
      const shareId = (await share(t, member, postId, [channelId!])).data!.sharePost[0].id;
      await eventually(
        () => shareStatus(t, member, shareId),
        (s) => s.status === 'POSTED',
      );
      expect(x.tweets.at(-1)!.authorId).toBe(user.id);
    });

    describe('with two workers', () => {
      let second: INestApplicationContext;
      beforeAll(async () => {
        // Another process as the database sees it: its own Nest core and connection pool on the same database.
        second = await NestFactory.createApplicationContext(CoreModule.forRoot(t.config), { logger: false });
      });
      afterAll(async () => second.close());

      it('lets only one of them refresh a channel: its single-use refresh token reaches X once', async () => {
        const member = await signUp(t);
        const user = x.addUser(`w${Date.now().toString(36)}`);
        x.signIn(user);
        x.setAccessTokenLifetime(300);
        const { channelId } = await connectThroughConsent(t, member, { network: 'X' });
        x.setAccessTokenLifetime(7200);
        const before = refreshRequests(x).length;

        // X holds the first refresh's answer until the other worker has run entirely.
        let release!: () => void;
        x.fail('token', { hold: new Promise<void>((resolve) => (release = resolve)) });
        const first = t.app.get(TokenRefresher).refreshDue();
        await eventually(
          async () => refreshRequests(x).length,
          (n) => n === before + 1,
        );
        const other = await second.get(TokenRefresher).refreshDue();
        expect(other.refreshed).toBe(0);
        release();
        await first;

        expect(refreshRequests(x)).toHaveLength(before + 1);
        expect(x.refreshes.filter((r) => r.outcome === 'refused')).toEqual([]);
        expect(await channelOf(member, channelId!)).toMatchObject({ status: 'ACTIVE' });
        // The new access token works (a replayed refresh token would have ended the whole chain).
        const { accessToken } = await credentialsOf(channelId!);
        const me = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(me.status).toBe(200);
      });
    });

    it('makes the channel need reconnecting when X refuses the refresh token, and reconnecting repairs the same channel', async () => {
      const member = await signUp(t);
      const user = x.addUser(`d${Date.now().toString(36)}`);
      x.signIn(user);
      const { channelId } = await connectThroughConsent(t, member, { network: 'X' });
      // The member removes Sharepool in X's settings; later the token comes due.
      x.revokeAppAccess(user);
      await t.sql.query(`UPDATE channels SET access_expires_at = now() + interval '5 minutes' WHERE id = $1`, [rawId(channelId!)]);
      await t.app.get(TokenRefresher).refreshDue();
      expect(x.refreshes.at(-1)!.outcome).toBe('refused');
      expect(await channelOf(member, channelId!)).toMatchObject({
        status: 'NEEDS_REAUTH',
        statusReason: 'X no longer lets Sharepool post for this account (the permission was withdrawn or has ended); reconnect it',
      });

      const again = await connectThroughConsent(t, member, { network: 'X' });
      expect(again.channelId).toBe(channelId);
      expect(await channelOf(member, channelId!)).toMatchObject({ status: 'ACTIVE', statusReason: null });
      expect(await channelsOf(member)).toHaveLength(1);
    });

    it('renews an active channel when its account connects again, instead of adding a second one', async () => {
      const member = await signUp(t);
      x.signIn(x.addUser(`a${Date.now().toString(36)}`));
      const first = await connectThroughConsent(t, member, { network: 'X' });
      const before = await credentialsOf(first.channelId!);
      const second = await connectThroughConsent(t, member, { network: 'X' });
      expect(second.channelId).toBe(first.channelId);
      expect((await credentialsOf(first.channelId!)).accessToken).not.toBe(before.accessToken);
    });
  });

  describe('LinkedIn', () => {
    it('connects through LinkedIn’s consent page; without the follower permission the audience is unverified', async () => {
      const member = await signUp(t);
      const person = linkedIn.addMember(`Grace ${Date.now().toString(36)}`);
      linkedIn.signIn(person);
      const started = await startConnection(t, member, { network: 'LINKEDIN' });
      const authorize = new URL(started.authorizeUrl);
      expect(authorize.origin + authorize.pathname).toBe(`${linkedIn.url}/oauth/v2/authorization`);
      expect(authorize.searchParams.get('scope')).toBe('openid profile w_member_social');
      const { location } = await arriveAtCallback(await answerConsentPage(started.authorizeUrl), started.cookie);
      const channelId = location.searchParams.get('connected')!;
      expect(await channelOf(member, channelId)).toMatchObject({
        network: 'LINKEDIN',
        handle: person.name,
        audienceSize: 0,
        audienceVerified: false,
        audienceCheckedAt: null,
        status: 'ACTIVE',
      });
      const stored = await row(channelId);
      expect(stored.refreshable).toBe(false);
      expect((new Date(stored.access_expires_at).getTime() - Date.now()) / 86_400_000).toBeGreaterThan(59.9);
    });

    it('reads the followers where LinkedIn gives them', async () => {
      const member = await signUp(t);
      linkedIn.signIn(linkedIn.addMember(`Ada ${Date.now().toString(36)}`, { followersCount: 950 }));
      const { channelId } = await connectThroughConsent(t, member, { network: 'LINKEDIN' });
      expect(await channelOf(member, channelId!)).toMatchObject({ audienceSize: 950, audienceVerified: true });
    });

    it('says “cancelled” in words when the member cancels on LinkedIn', async () => {
      const member = await signUp(t);
      const { error } = await connectThroughConsent(t, member, { network: 'LINKEDIN' }, 'deny');
      expect(error).toBe('You did not allow Sharepool to use your LinkedIn account, so nothing was connected.');
    });

    it('asks the member to reconnect a week before a token without refresh ends, with the date in the reason', async () => {
      const member = await signUp(t);
      linkedIn.signIn(linkedIn.addMember(`Lin ${Date.now().toString(36)}`));
      const { channelId } = await connectThroughConsent(t, member, { network: 'LINKEDIN' });
      await t.app.get(TokenRefresher).refreshDue();
      expect((await channelOf(member, channelId!))!.status).toBe('ACTIVE');
      const { rows } = await t.sql.query(
        `UPDATE channels SET access_expires_at = now() + interval '6 days' WHERE id = $1 RETURNING access_expires_at`,
        [rawId(channelId!)],
      );
      const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        rows[0].access_expires_at,
      );
      await t.app.get(TokenRefresher).refreshDue();
      expect(await channelOf(member, channelId!)).toMatchObject({
        status: 'NEEDS_REAUTH',
        statusReason: `LinkedIn lets Sharepool post for this account only until ${day}; reconnect it to keep sharing`,
      });
      expect(refreshRequests(linkedIn)).toEqual([]);
    });

    it('refreshes where LinkedIn granted a refresh token, keeping that refresh token', async () => {
      const member = await signUp(t);
      linkedIn.signIn(linkedIn.addMember(`Ref ${Date.now().toString(36)}`));
      linkedIn.grantRefreshTokens(true);
      linkedIn.setAccessTokenLifetime(120);
      try {
        const { channelId } = await connectThroughConsent(t, member, { network: 'LINKEDIN' });
        linkedIn.setAccessTokenLifetime(5_184_000);
        const before = await credentialsOf(channelId!);
        expect((await row(channelId!)).refreshable).toBe(true);
        await t.app.get(TokenRefresher).refreshDue();
        const after = await credentialsOf(channelId!);
        expect(after.accessToken).not.toBe(before.accessToken);
        expect(after.refreshToken).toBe(before.refreshToken);
        expect(await channelOf(member, channelId!)).toMatchObject({ status: 'ACTIVE' });
      } finally {
        linkedIn.grantRefreshTokens(false);
        linkedIn.setAccessTokenLifetime(5_184_000);
      }
    });
  });

  describe('starting a connection', () => {
    it('refuses networks that do not connect through a consent page, on the network field', async () => {
      const member = await signUp(t);
      for (const network of ['BLUESKY', 'WEBHOOK']) {
        const res = await startConnection(t, member, { network });
        expect(res.result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'network' });
      }
    });

    it('only returns to a path of the web app', async () => {
      const member = await signUp(t);
      for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'channels', '/a b']) {
        const res = await startConnection(t, member, { network: 'X', returnTo });
        expect(res.result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'returnTo' });
      }
    });

    it('needs a signed-in member, not an API key', async () => {
      const anonymous = await t.gql(`mutation { startChannelConnection(input: { network: X }) { authorizeUrl } }`, {});
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
      const member = await signUp(t);
      const key = await ok(t, `mutation { createApiKey(input: { name: "cms", scopes: [READ, SHARE] }) { secret } }`, {}, member.token);
      const withKey = await t.gql(
        `mutation { startChannelConnection(input: { network: X }) { authorizeUrl } }`,
        {},
        { token: key.createApiKey.secret },
      );
      expect(codeOf(withKey)).toBe('FORBIDDEN');
    });

    it('lists the networks set up on this server', async () => {
      expect((await ok(t, `{ oauthNetworks }`, {})).oauthNetworks).toEqual(['MASTODON', 'X', 'LINKEDIN']);
    });
  });

  describe('audiences', () => {
    it('ignores a stated audience where the network gives one, and keeps it unverified where it gives none', async () => {
      const member = await signUp(t);
      const account = mastodon.addAccount(`q${Date.now().toString(36)}`, { followersCount: 12 });
      const mastodonChannel = await ok(
        t,
        CONNECT,
        { i: { network: 'MASTODON', handle: 'x', instanceUrl: mastodon.url, accessToken: account.accessToken, audienceSize: 99_999 } },
        member.token,
      );
      expect(mastodonChannel.connectChannel.channel).toMatchObject({ audienceSize: 12, audienceVerified: true });
      const webhook = await ok(
        t,
        CONNECT,
        { i: { network: 'WEBHOOK', handle: `hook-${Date.now().toString(36)}`, webhookUrl: sink.hookUrl('stated'), audienceSize: 500 } },
        member.token,
      );
      expect(webhook.connectChannel.channel).toMatchObject({ audienceSize: 500, audienceVerified: false });
    });

    it('reads each channel’s followers from its network again once a day', async () => {
      const member = await signUp(t);
      const account = mastodon.addAccount(`f${Date.now().toString(36)}`, { followersCount: 10 });
      mastodon.signIn(account);
      const { channelId } = await connectThroughConsent(t, member, { network: 'MASTODON', instanceUrl: mastodon.url });
      account.followersCount = 25;
      const checker = t.app.get(AudienceChecker);
      await checker.checkDue();
      expect((await channelOf(member, channelId!))!.audienceSize).toBe(10);

      await t.sql.query(`UPDATE channels SET audience_check_due = now() - interval '1 second' WHERE id = $1`, [rawId(channelId!)]);
      await checker.checkDue();
      const checked = await channelOf(member, channelId!);
      expect(checked).toMatchObject({ audienceSize: 25, audienceVerified: true });
      const { rows } = await t.sql.query(`SELECT audience_check_due > now() + interval '23 hours' AS later FROM channels WHERE id = $1`, [
        rawId(channelId!),
      ]);
      expect(rows[0].later).toBe(true);
    });
  });
});

describe('a server without X or LinkedIn set up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('says X and LinkedIn are not set up, on the network field, and offers Mastodon only', async () => {
    const member = await signUp(t);
    for (const [network, name] of [
      ['X', 'X'],
      ['LINKEDIN', 'LinkedIn'],
    ] as const) {
      const res = await startConnection(t, member, { network });
      expect(res.result.errors![0]).toMatchObject({
        message: `${name} is not set up on this server`,
        extensions: { code: 'BAD_USER_INPUT', field: 'network' },
      });
    }
    expect((await ok(t, `{ oauthNetworks }`, {})).oauthNetworks).toEqual(['MASTODON']);
  });
});
