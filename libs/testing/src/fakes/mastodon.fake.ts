import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';
import { consentPage, errorPage, formOf, OAuthGrants, redirectTo } from './oauth-grants.js';

export interface MastodonFakeAccount {
  readonly id: string;
  readonly username: string;
  readonly accessToken: string;
  followersCount: number;
}

export interface MastodonFakeStatus {
  readonly id: string;
  readonly accountId: string;
  /** The plain text as posted. */
  readonly text: string;
  readonly idempotencyKey: string | undefined;
  readonly createdAt: string;
  readonly url: string;
}

/** An app registered with POST /api/v1/apps. */
export interface MastodonFakeApp {
  readonly name: string;
  readonly website: string | null;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

/** The Mastodon endpoints the fake serves, for scripting faults. */
export type MastodonRoute =
  'verify_credentials' | 'create_status' | 'account_statuses' | 'create_app' | 'authorize_page' | 'authorize' | 'token' | 'revoke';

export interface MastodonFake extends NetworkFake<MastodonRoute> {
  /** The account every fake starts with. */
  readonly account: MastodonFakeAccount;
  /** Every status created, oldest first; a repeated Idempotency-Key adds none. */
  readonly statuses: readonly MastodonFakeStatus[];
  addAccount(username: string, options?: { accessToken?: string; followersCount?: number }): MastodonFakeAccount;
  /** Later calls with this token answer 401 "The access token was revoked". */
  revokeToken(accessToken: string): void;
  /** A new access token for the account, as signing in to the app again gives. */
  issueToken(account: MastodonFakeAccount): string;
  /**
   * The next status created is answered with these addresses instead of its own, as a
   * server a member runs could answer (the status is still made).
   */
  answerAddressesNext(addresses: { url: string | null; uri: string }): void;
  /** Answers like Mastodon's rate limiter: 429, X-RateLimit-* headers, reset in `seconds`. */
  rateLimitNext(route: MastodonRoute, seconds: number): void;
  /** Apps registered through POST /api/v1/apps, oldest first. */
  readonly apps: readonly MastodonFakeApp[];
  /** The account signed in on the instance's web pages: the one the consent page asks. */
  signIn(account: MastodonFakeAccount): void;
  /** The member removes every app's access in their settings: their OAuth tokens stop working. */
  revokeAppAccess(account: MastodonFakeAccount): void;
}

const MAX_CHARS = 500;
const URL_LENGTH = 23;

/** A local Mastodon instance: verify_credentials, statuses with Idempotency-Key, account statuses. */
export async function startMastodonFake(
  options: { username?: string; accessToken?: string; followersCount?: number } = {},
): Promise<MastodonFake> {
  const accounts = new Map<string, MastodonFakeAccount>(); // by token
  const revoked = new Set<string>();
  const statuses: MastodonFakeStatus[] = [];
  const byKey = new Map<string, MastodonFakeStatus>(); // `${accountId}:${key}`
  let nextId = 113_000_000_000_000_000n;
  const addressOverrides: Array<{ url: string | null; uri: string }> = [];
  let base = '';

  const newId = () => String((nextId += 1n + BigInt(Math.floor(Math.random() * 1000))));

  const addAccount = (username: string, opts: { accessToken?: string; followersCount?: number } = {}): MastodonFakeAccount => {
    const account = {
      id: String(100_000 + accounts.size + 1),
      username,
      accessToken: opts.accessToken ?? randomBytes(24).toString('base64url'),
      followersCount: opts.followersCount ?? 0,
    };
    accounts.set(account.accessToken, account);
    return account;
  };

  const apps: MastodonFakeApp[] = [];
  let signedIn: MastodonFakeAccount | undefined;
  // Doorkeeper: codes live 10 minutes, tokens do not expire and come without refresh tokens.
  const grants = new OAuthGrants<MastodonFakeAccount>({
    codeLifetimeMs: 600_000,
    accessLifetimeSeconds: () => null,
    refresh: () => 'none',
  });
  const SCOPES = new Set(['read', 'write', 'follow', 'push', 'profile', 'read:accounts', 'read:statuses', 'write:statuses']);
  const appOf = (clientId: string | undefined) => apps.find((app) => app.clientId === clientId);
  const INVALID_CLIENT = {
    error: 'invalid_client',
    error_description:
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  };
  const INVALID_GRANT = {
    error: 'invalid_grant',
    error_description:
      'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  };

  // Doorkeeper's answers: the body is always { error }.
  const authenticate = (request: FakeRequest, scope?: string): MastodonFakeAccount | FakeReply => {
    const token = bearerToken(request);
    if (token && revoked.has(token)) return { status: 401, body: { error: 'The access token was revoked' } };
    const granted = grants.check(token);
    if (granted?.ok === false) {
      return { status: 401, body: { error: granted.why === 'revoked' ? 'The access token was revoked' : 'The access token is invalid' } };
    }
    if (granted?.ok) {
      const held = granted.scope.split(' ');
      const [family] = (scope ?? '').split(':');
      if (scope && !held.includes(scope) && !held.includes(family!)) {
        return { status: 403, body: { error: 'This action is outside the authorized scopes' } };
      }
      return granted.account;
    }
    const account = token ? accounts.get(token) : undefined;
    return account ?? { status: 401, body: { error: 'The access token is invalid' } };
  };

  /** The authorization request's problems that Doorkeeper shows on its own page (nothing can be sent back). */
  const unsendable = (params: Record<string, string | undefined>): FakeReply | undefined => {
    const app = appOf(params.client_id);
    if (!app) return errorPage(401, 'Mastodon', INVALID_CLIENT.error_description);
    if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
      return errorPage(400, 'Mastodon', 'The redirect uri included is not valid.');
    }
    return undefined;
  };
  /** Problems Doorkeeper sends back to the app's redirect URI. */
  const refusal = (params: Record<string, string | undefined>): FakeReply | undefined => {
    const app = appOf(params.client_id)!;
    const back = (error: string, error_description: string) =>
      redirectTo(params.redirect_uri!, { error, error_description, state: params.state });
    if (params.response_type !== 'code') {
      return back('unsupported_response_type', 'The authorization server does not support this response type.');
    }
    const scopes = (params.scope ?? 'read').split(/[ +]/).filter(Boolean);
    if (!scopes.every((scope) => app.scopes.includes(scope))) {
      return back('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    }
    if (params.code_challenge && params.code_challenge_method !== 'S256') {
      return back(
        'invalid_request',
        'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
      );
    }
    return undefined;
  };

  const accountJson = (account: MastodonFakeAccount) => ({
    id: account.id,
    username: account.username,
    acct: account.username,
    display_name: account.username,
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: `${base}/@${account.username}`,
    uri: `${base}/users/${account.username}`,
    avatar: `${base}/avatars/original/missing.png`,
    avatar_static: `${base}/avatars/original/missing.png`,
    header: `${base}/headers/original/missing.png`,
    header_static: `${base}/headers/original/missing.png`,
    followers_count: account.followersCount,
    following_count: 0,
    statuses_count: statuses.filter((s) => s.accountId === account.id).length,
    last_status_at: null,
    emojis: [],
    fields: [],
  });

  const statusJson = (status: MastodonFakeStatus) => {
    const account = [...accounts.values()].find((a) => a.id === status.accountId)!;
    return {
      id: status.id,
      created_at: status.createdAt,
      in_reply_to_id: null,
      in_reply_to_account_id: null,
      sensitive: false,
      spoiler_text: '',
      visibility: 'public',
      language: 'en',
      uri: `${base}/users/${account.username}/statuses/${status.id}`,
      url: status.url,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      edited_at: null,
      content: toHtml(status.text),
      reblog: null,
      application: { name: 'Sharepool', website: null },
      account: accountJson(account),
      media_attachments: [],
      mentions: [],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  };

  const server = await FakeHttpServer.start([
    {
      name: 'verify_credentials',
      method: 'GET',
      path: routePath('/api/v1/accounts/verify_credentials'),
      handle(request) {
        const account = authenticate(request, 'read:accounts');
        if ('status' in account) return account;
        const body = { ...accountJson(account), source: { privacy: 'public', sensitive: false, language: '', note: '', fields: [] } };
        return { status: 200, body };
      },
    },
    {
      name: 'create_status',
      method: 'POST',
      path: routePath('/api/v1/statuses'),
      handle(request) {
        const account = authenticate(request, 'write:statuses');
        if ('status' in account) return account;
        const key = request.header('idempotency-key');
        const earlier = key ? byKey.get(`${account.id}:${key}`) : undefined;
        if (earlier) return { status: 200, body: statusJson(earlier) };
        const params = (request.json() ?? {}) as { status?: unknown };
        const text = typeof params.status === 'string' ? params.status : '';
        if (!text.trim()) return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
        if (countableLength(text) > MAX_CHARS) {
          return { status: 422, body: { error: `Validation failed: Text character limit of ${MAX_CHARS} exceeded` } };
        }
        const id = newId();
        const status = {
          id,
          accountId: account.id,
          text,
          idempotencyKey: key,
          createdAt: new Date().toISOString(),
          url: `${base}/@${account.username}/${id}`,
        };
        statuses.push(status);
        if (key) byKey.set(`${account.id}:${key}`, status);
        return { status: 200, body: { ...statusJson(status), ...addressOverrides.shift() } };
      },
    },
    {
      name: 'account_statuses',
      method: 'GET',
      path: routePath('/api/v1/accounts/:id/statuses'),
      handle(request) {
        const account = authenticate(request);
        if ('status' in account) return account;
        const owner = [...accounts.values()].find((a) => a.id === request.params.id);
        if (!owner) return { status: 404, body: { error: 'Record not found' } };
        const limit = Math.min(40, Math.max(1, Number(request.query.get('limit') ?? 20) || 20));
        const own = statuses.filter((s) => s.accountId === owner.id).reverse();
        return { status: 200, body: own.slice(0, limit).map(statusJson) };
      },
    },
    {
      name: 'create_app',
      method: 'POST',
      path: routePath('/api/v1/apps'),
      handle(request) {
        const params = formOf(request);
        if (!params.client_name) return { status: 422, body: { error: "Validation failed: Application name can't be blank" } };
        const redirectUris = (params.redirect_uris ?? '').split(/\s+/).filter(Boolean);
        if (
          redirectUris.length === 0 ||
          !redirectUris.every((uri) => /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri === 'urn:ietf:wg:oauth:2.0:oob')
        ) {
          return { status: 422, body: { error: 'Validation failed: Redirect URI must be an absolute URI.' } };
        }
        const scopes = (params.scopes ?? 'read').split(/\s+/).filter(Boolean);
        if (!scopes.every((scope) => SCOPES.has(scope))) return { status: 422, body: { error: 'Validation failed: Scopes are invalid' } };
        const app: MastodonFakeApp = {
          name: params.client_name,
          website: params.website ?? null,
          clientId: randomBytes(32).toString('base64url'),
          clientSecret: randomBytes(32).toString('base64url'),
          redirectUris,
          scopes,
        };
        apps.push(app);
        return {
          status: 200,
          body: {
            id: String(apps.length),
            name: app.name,
            website: app.website,
            scopes: app.scopes,
            redirect_uri: redirectUris.join('\n'),
            redirect_uris: redirectUris,
            client_id: app.clientId,
            client_secret: app.clientSecret,
            client_secret_expires_at: 0,
            vapid_key: 'BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=',
          },
        };
      },
    },
    {
      name: 'authorize_page',
      method: 'GET',
      path: routePath('/oauth/authorize'),
      handle(request) {
        const params = Object.fromEntries(request.query);
        const problem = unsendable(params) ?? refusal(params);
        if (problem) return problem;
        const who = signedIn ?? account;
        return consentPage({
          network: 'Mastodon',
          appName: appOf(params.client_id)!.name,
          accountName: `@${who.username}`,
          scopes: (params.scope ?? 'read').split(/[ +]/),
          action: '/oauth/authorize',
          fields: params,
          allowLabel: 'Authorize',
          denyLabel: 'Deny',
        });
      },
    },
    {
      name: 'authorize',
      method: 'POST',
      path: routePath('/oauth/authorize'),
      handle(request) {
        const { decision, ...params } = formOf(request);
        const problem = unsendable(params) ?? refusal(params);
        if (problem) return problem;
        if (decision !== 'allow') {
          return redirectTo(params.redirect_uri!, {
            error: 'access_denied',
            error_description: 'The resource owner or authorization server denied the request.',
            state: params.state,
          });
        }
        const code = grants.issueCode({
          clientId: params.client_id!,
          redirectUri: params.redirect_uri!,
          account: signedIn ?? account,
          scope: (params.scope ?? 'read').split(/[ +]/).join(' '),
          codeChallenge: params.code_challenge ?? null,
          codeChallengeMethod: params.code_challenge_method ?? null,
        });
        return redirectTo(params.redirect_uri!, { code, state: params.state });
      },
    },
    {
      name: 'token',
      method: 'POST',
      path: routePath('/oauth/token'),
      handle(request) {
        const params = formOf(request);
        const app = appOf(params.client_id);
        if (!app || app.clientSecret !== params.client_secret) return { status: 401, body: INVALID_CLIENT };
        if (params.grant_type !== 'authorization_code') {
          return {
            status: 400,
            body: {
              error: 'unsupported_grant_type',
              error_description: 'The authorization grant type is not supported by the authorization server.',
            },
          };
        }
        const redeemed = grants.redeemCode(params.code ?? '', {
          clientId: app.clientId,
          redirectUri: params.redirect_uri,
          codeVerifier: params.code_verifier,
        });
        if (!redeemed.ok) return { status: 400, body: INVALID_GRANT };
        return {
          status: 200,
          body: {
            access_token: redeemed.tokens.accessToken,
            token_type: 'Bearer',
            scope: redeemed.grant.scope,
            created_at: Math.floor(Date.now() / 1000),
          },
        };
      },
    },
    {
      name: 'revoke',
      method: 'POST',
      path: routePath('/oauth/revoke'),
      handle(request) {
        const params = formOf(request);
        const app = appOf(params.client_id);
        if (!app || app.clientSecret !== params.client_secret) {
          return { status: 403, body: { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' } };
        }
        grants.revoke(params.token ?? '');
        return { status: 200, body: {} };
      },
    },
  ]);
  base = server.url;
  const account = addAccount(options.username ?? 'alice', {
    accessToken: options.accessToken,
    followersCount: options.followersCount ?? 42,
  });

  return {
    url: server.url,
    account,
    statuses,
    requests: server.requests,
    addAccount,
    revokeToken: (token) => void revoked.add(token),
    issueToken(account) {
      const token = randomBytes(24).toString('base64url');
      accounts.set(token, account);
      return token;
    },
    fail: (route, fault, times) => server.fault(route, fault, times),
    answerAddressesNext: (addresses) => void addressOverrides.push(addresses),
    rateLimitNext(route, seconds) {
      server.fault(route, {
        reply: {
          status: 429,
          body: { error: 'Too many requests' },
          headers: {
            'X-RateLimit-Limit': '300',
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': new Date(Date.now() + seconds * 1000).toISOString(),
          },
        },
      });
    },
    serverErrorNext(route) {
      server.fault(route, {
        reply: { status: 503, body: { error: 'There was a temporary problem serving your request, please try again' } },
      });
    },
    hangAfterPostingNext: () => server.fault('create_status', { hang: 'after' }),
    apps,
    signIn: (who) => void (signedIn = who),
    revokeAppAccess: (who) => grants.revokeAccount(who),
    close: () => server.close(),
  };
}

/** Mastodon's count: every link is 23 characters, the rest in graphemes. */
function countableLength(text: string): number {
  const replaced = text.replace(/https?:\/\/\S+/g, 'x'.repeat(URL_LENGTH));
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(replaced)].length;
}

/** The HTML Mastodon renders for plain text: escaped, links as anchors, one paragraph. */
function toHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const parts = text.split(/(https?:\/\/\S+)/g);
  const html = parts
    .map((part, i) => {
      if (i % 2 === 0) return escape(part).replace(/\n/g, '<br />');
      const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(part)!;
      return `<a href="${escape(part)}" rel="nofollow noopener" translate="no" target="_blank"><span class="invisible">${scheme}</span><span class="">${escape(rest!)}</span><span class="invisible"></span></a>`;
    })
    .join('');
  return `<p>${html}</p>`;
}
