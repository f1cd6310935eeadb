import { OutboundHttp } from '@sharepool/outbound';
import {
  answerConsentPage,
  type LinkedInFake,
  type MastodonFake,
  startLinkedInFake,
  startMastodonFake,
  startXFake,
  type XFake,
} from '@sharepool/testing/fakes';
import { LinkedInOAuthProvider } from './linkedin-oauth.provider.js';
import { MastodonOAuthProvider } from './mastodon-oauth.provider.js';
import { type OAuthApp, OAuthError, type OAuthProvider } from './oauth-provider.js';
import { XOAuthProvider } from './x-oauth.provider.js';

const REDIRECT = 'https://sharepool.example/oauth/callback';

/** The code the network sends back after the member allowed it. */
async function codeFrom(provider: OAuthProvider, app: OAuthApp, state = 'state-123') {
  const link = provider.authorizeLink(app, { redirectUri: REDIRECT, state });
  const back = new URL(await answerConsentPage(link.url));
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);
  return { code: back.searchParams.get('code')!, codeVerifier: link.codeVerifier };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected an OAuthError');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(OAuthError);
      return error as OAuthError;
    },
  );

describe('OAuth providers against the networks’ fakes', () => {
  let http: OutboundHttp;
  beforeAll(() => {
    http = new OutboundHttp({ allowPrivate: true });
  });
  afterAll(() => http.close());

  describe('X', () => {
    let x: XFake;
    let provider: XOAuthProvider;
    let app: OAuthApp;
    beforeAll(async () => {
      x = await startXFake();
      provider = new XOAuthProvider({ apiBaseUrl: x.url, authBaseUrl: x.url, timeoutMs: 2_000 });
      app = { clientId: x.client.clientId, clientSecret: x.client.clientSecret! };
    });
    afterAll(() => x.close());

    it('exchanges the code with its PKCE verifier for a 2-hour token and a refresh token', async () => {
      const { code, codeVerifier } = await codeFrom(provider, app);
      expect(codeVerifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
      const tokens = await provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier });
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 7200,
        refreshExpiresIn: null,
      });
      const me = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(me.status).toBe(200);
    });

    it('is refused by the fake when the verifier does not match the challenge', async () => {
      const { code } = await codeFrom(provider, app);
      const error = await failure(provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier: 'w'.repeat(64) }));
      expect(error).toMatchObject({
        kind: 'INVALID_GRANT',
        reason: expect.stringContaining('Value passed for the authorization code was invalid'),
      });
    });

    it('refreshes once per refresh token: the spent one is refused and ends the chain', async () => {
      const { code, codeVerifier } = await codeFrom(provider, app);
      const first = await provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier });
      const second = await provider.refresh(app, first.refreshToken!);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(await failure(provider.refresh(app, first.refreshToken!))).toMatchObject({ kind: 'INVALID_GRANT' });
      expect(await failure(provider.refresh(app, second.refreshToken!))).toMatchObject({ kind: 'INVALID_GRANT' });
    });

    it('says when X refuses Sharepool’s app itself, and when X cannot be reached', async () => {
      const { code, codeVerifier } = await codeFrom(provider, app);
      const wrongSecret = { ...app, clientSecret: 'not-the-secret' };
      expect(await failure(provider.exchangeCode(wrongSecret, { code, redirectUri: REDIRECT, codeVerifier }))).toMatchObject({
        kind: 'CLIENT_REJECTED',
        reason: expect.stringContaining('Missing valid authorization header'),
      });
      const gone = await startXFake();
      await gone.close();
      const offline = new XOAuthProvider({ apiBaseUrl: gone.url, authBaseUrl: gone.url, timeoutMs: 2_000 });
      expect(await failure(offline.refresh(app, 'whatever'))).toMatchObject({ kind: 'UNAVAILABLE' });
      x.fail('token', { reply: { status: 503, body: { title: 'Service Unavailable' } } });
      expect(await failure(provider.refresh(app, 'whatever'))).toMatchObject({ kind: 'UNAVAILABLE' });
    });

    it('revokes a refresh token, ending its access token too', async () => {
      const { code, codeVerifier } = await codeFrom(provider, app);
      const tokens = await provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier });
      await provider.revoke(app, tokens.refreshToken!);
      const me = await fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(me.status).toBe(401);
    });
  });

  describe('Mastodon', () => {
    let mastodon: MastodonFake;
    let provider: MastodonOAuthProvider;
    let app: OAuthApp;
    beforeAll(async () => {
      mastodon = await startMastodonFake();
      provider = new MastodonOAuthProvider(http, 2_000);
      const registered = await provider.registerApp(mastodon.url, REDIRECT, 'https://sharepool.example');
      app = { ...registered, instanceUrl: mastodon.url };
    });
    afterAll(() => mastodon.close());

    it('registers the app with the callback and scopes, and exchanges a code with PKCE for a lasting token', async () => {
      expect(mastodon.apps.at(-1)).toMatchObject({ redirectUris: [REDIRECT], scopes: ['read:accounts', 'write:statuses'] });
      const { code, codeVerifier } = await codeFrom(provider, app);
      const tokens = await provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier });
      expect(tokens).toEqual({ accessToken: expect.any(String), refreshToken: null, expiresIn: null, refreshExpiresIn: null });
      // A code works once.
      expect(await failure(provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier }))).toMatchObject({
        kind: 'INVALID_GRANT',
        reason: expect.stringContaining('invalid_grant'),
      });
    });

    it('is refused by the instance without the right verifier or with another app’s secret', async () => {
      const { code } = await codeFrom(provider, app);
      expect(await failure(provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier: 'z'.repeat(64) }))).toMatchObject({
        kind: 'INVALID_GRANT',
      });
      const next = await codeFrom(provider, app);
      expect(
        await failure(
          provider.exchangeCode(
            { ...app, clientSecret: 'wrong' },
            { code: next.code, redirectUri: REDIRECT, codeVerifier: next.codeVerifier },
          ),
        ),
      ).toMatchObject({ kind: 'CLIENT_REJECTED' });
    });

    it('tells an address that is not Mastodon from one that cannot be reached', async () => {
      const notMastodon = await startLinkedInFake();
      try {
        expect(await failure(provider.registerApp(notMastodon.url, REDIRECT, 'https://sharepool.example'))).toMatchObject({
          kind: 'CLIENT_REJECTED',
          reason: 'That address does not answer like a Mastodon instance',
        });
      } finally {
        await notMastodon.close();
      }
      expect(await failure(provider.registerApp('http://127.0.0.1:9', REDIRECT, 'https://sharepool.example'))).toMatchObject({
        kind: 'UNAVAILABLE',
      });
    });
  });

  describe('LinkedIn', () => {
    let linkedIn: LinkedInFake;
    let provider: LinkedInOAuthProvider;
    let app: OAuthApp;
    beforeAll(async () => {
      linkedIn = await startLinkedInFake({ refreshTokens: true });
      provider = new LinkedInOAuthProvider({ http, authBaseUrl: linkedIn.url, timeoutMs: 2_000 });
      app = { clientId: linkedIn.client.clientId, clientSecret: linkedIn.client.clientSecret };
    });
    afterAll(() => linkedIn.close());

    it('exchanges a code for a 60-day token and, where granted, a year-long refresh token it keeps on refresh', async () => {
      const link = provider.authorizeLink(app, { redirectUri: REDIRECT, state: 's' });
      expect(link.codeVerifier).toBeNull();
      const { code } = await codeFrom(provider, app);
      const tokens = await provider.exchangeCode(app, { code, redirectUri: REDIRECT, codeVerifier: null });
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 5_184_000,
        refreshExpiresIn: 31_536_000,
      });
      const refreshed = await provider.refresh(app, tokens.refreshToken!);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    });

    it('reads LinkedIn’s refusals: a wrong redirect URI, a wrong secret, a revoked refresh token', async () => {
      const { code } = await codeFrom(provider, app);
      expect(
        await failure(provider.exchangeCode(app, { code, redirectUri: 'https://elsewhere.example/cb', codeVerifier: null })),
      ).toMatchObject({
        kind: 'INVALID_GRANT',
        reason: expect.stringContaining('does not match authorization code'),
      });
      const next = await codeFrom(provider, app);
      expect(
        await failure(
          provider.exchangeCode({ ...app, clientSecret: 'wrong' }, { code: next.code, redirectUri: REDIRECT, codeVerifier: null }),
        ),
      ).toMatchObject({ kind: 'CLIENT_REJECTED', reason: expect.stringContaining('Client authentication failed') });
      const fresh = await codeFrom(provider, app);
      const tokens = await provider.exchangeCode(app, { code: fresh.code, redirectUri: REDIRECT, codeVerifier: null });
      await provider.revoke(app, tokens.refreshToken!);
      expect(await failure(provider.refresh(app, tokens.refreshToken!))).toMatchObject({ kind: 'INVALID_GRANT' });
    });
  });
});
