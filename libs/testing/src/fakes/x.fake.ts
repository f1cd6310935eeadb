import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';
import { basicCredentials, consentPage, errorPage, formOf, OAuthGrants, redirectTo } from './oauth-grants.js';

export interface XFakeUser {
  readonly id: string;
  readonly username: string;
  readonly accessToken: string;
  followersCount: number;
}

export interface XFakeTweet {
  readonly id: string;
  readonly authorId: string;
  /** The text as X stores it: every link replaced by a t.co link. */
  readonly text: string;
  /** The text as it was sent. */
  readonly sentText: string;
  readonly createdAt: string;
  readonly urls: readonly { start: number; end: number; url: string; expanded_url: string; display_url: string }[];
}

/** The X API v2 endpoints the fake serves, for scripting faults. */
export type XRoute = 'create_tweet' | 'users_me' | 'user_tweets' | 'authorize_page' | 'authorize' | 'token' | 'revoke';

/** Sharepool's app at the fake X: a confidential client (with a secret) unless `clientSecret` is null. */
export interface XFakeClient {
  readonly clientId: string;
  readonly clientSecret: string | null;
  /** Callback URLs registered with the app; empty: any. */
  readonly redirectUris: readonly string[];
}

export interface XFakeOptions {
  username?: string;
  accessToken?: string;
  followersCount?: number;
  client?: Partial<XFakeClient>;
  /** Seconds an OAuth access token lives; X's own is 7200. */
  accessTokenLifetimeSeconds?: number;
}

export interface XFake extends NetworkFake<XRoute> {
  readonly user: XFakeUser;
  /** Every tweet created, oldest first. */
  readonly tweets: readonly XFakeTweet[];
  addUser(username: string, options?: { accessToken?: string; followersCount?: number }): XFakeUser;
  /** Later calls with this token answer 401 Unauthorized. */
  revokeToken(accessToken: string): void;
  /** 429 Too Many Requests with x-rate-limit-* headers, reset in `seconds`. */
  rateLimitNext(route: XRoute, seconds: number): void;
  /** Sharepool's app, for X_CLIENT_ID and X_CLIENT_SECRET. */
  readonly client: XFakeClient;
  /** The account signed in on x.com: the one the consent page asks. */
  signIn(user: XFakeUser): void;
  /** Seconds the next OAuth access tokens live. */
  setAccessTokenLifetime(seconds: number): void;
  /** Refresh requests the token endpoint answered, in order. */
  readonly refreshes: readonly { token: string; outcome: 'refreshed' | 'refused' }[];
  /** The member removes the app in their settings: every OAuth token of the user ends. */
  revokeAppAccess(user: XFakeUser): void;
}

const MAX_WEIGHTED_LENGTH = 280;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A local X API v2: POST /2/tweets, GET /2/users/me and /2/users/:id/tweets, with X's problem JSON errors. */
export async function startXFake(options: XFakeOptions = {}): Promise<XFake> {
  const users = new Map<string, XFakeUser>(); // by token
  const revoked = new Set<string>();
  const client: XFakeClient = {
    clientId: options.client?.clientId ?? randomBytes(18).toString('base64url'),
    clientSecret: options.client?.clientSecret === undefined ? randomBytes(36).toString('base64url') : options.client.clientSecret,
    redirectUris: options.client?.redirectUris ?? [],
  };
  let accessLifetime = options.accessTokenLifetimeSeconds ?? 7200;
  let signedIn: XFakeUser | undefined;
  // X: codes live 30 seconds, access tokens 2 hours, each refresh token works once.
  const grants = new OAuthGrants<XFakeUser>({
    codeLifetimeMs: 30_000,
    accessLifetimeSeconds: () => accessLifetime,
    refresh: () => 'rotate',
  });
  const X_SCOPES = new Set(['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'like.read', 'follows.read']);
  const tokenError = (status: number, error: string, error_description: string): FakeReply => ({
    status,
    body: { error, error_description },
  });
  /** Confidential clients authenticate with HTTP Basic; public ones name themselves in the body. */
  const clientOf = (request: FakeRequest, params: Record<string, string>): FakeReply | undefined => {
    if (client.clientSecret !== null) {
      const basic = basicCredentials(request);
      if (!basic || basic.clientId !== client.clientId || basic.clientSecret !== client.clientSecret) {
        return tokenError(401, 'unauthorized_client', 'Missing valid authorization header');
      }
      return undefined;
    }
    return params.client_id === client.clientId ? undefined : tokenError(400, 'invalid_request', 'Missing required parameter [client_id].');
  };
  /** What x.com shows instead of sending the request back. */
  const unsendable = (params: Record<string, string | undefined>): FakeReply | undefined => {
    const wrong = () =>
      errorPage(400, 'X', "Something went wrong. You weren't able to give access to the App. Go back and try logging in again.");
    if (params.client_id !== client.clientId || params.response_type !== 'code') return wrong();
    if (!params.redirect_uri || (client.redirectUris.length > 0 && !client.redirectUris.includes(params.redirect_uri))) return wrong();
    if (!params.code_challenge || !/^(s256|plain)$/i.test(params.code_challenge_method ?? 'plain') || !params.state) return wrong();
    if (!(params.scope ?? '').split(' ').every((scope) => X_SCOPES.has(scope))) return wrong();
    return undefined;
  };
  const tweets: XFakeTweet[] = [];
  let nextId = 1_870_000_000_000_000_000n;

  const problem = (
    status: number,
    title: string,
    detail: string,
    type = 'about:blank',
    headers: Record<string, string> = {},
  ): FakeReply => ({
    status,
    body: { title, detail, type, status },
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
  const rateHeaders = (remaining: number, resetInSeconds: number) => ({
    'x-rate-limit-limit': '100',
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
  });
  const ok = (status: number, body: unknown): FakeReply => ({ status, body, headers: rateHeaders(99, 900) });

  const addUser = (username: string, opts: { accessToken?: string; followersCount?: number } = {}): XFakeUser => {
    const user = {
      id: String(1_500_000_000 + users.size + 1),
      username,
      accessToken: opts.accessToken ?? randomBytes(30).toString('base64url'),
      followersCount: opts.followersCount ?? 0,
    };
    users.set(user.accessToken, user);
    return user;
  };

  const authenticate = (request: FakeRequest): XFakeUser | FakeReply => {
    const token = bearerToken(request);
    const granted = grants.check(token);
    if (granted) return granted.ok ? granted.account : problem(401, 'Unauthorized', 'Unauthorized');
    const user = token && !revoked.has(token) ? users.get(token) : undefined;
    return user ?? problem(401, 'Unauthorized', 'Unauthorized');
  };

  const tweetJson = (tweet: XFakeTweet, fields: Set<string>) => ({
    id: tweet.id,
    text: tweet.text,
    edit_history_tweet_ids: [tweet.id],
    ...(fields.has('created_at') ? { created_at: tweet.createdAt } : {}),
    ...(fields.has('author_id') ? { author_id: tweet.authorId } : {}),
    ...(fields.has('entities') && tweet.urls.length ? { entities: { urls: tweet.urls } } : {}),
  });

  const server = await FakeHttpServer.start(
    [
      {
        name: 'create_tweet',
        method: 'POST',
        path: routePath('/2/tweets'),
        handle(request) {
          const user = authenticate(request);
          if ('status' in user) return user;
          const body = request.json() as { text?: unknown } | undefined;
          if (!body || typeof body.text !== 'string' || body.text.length === 0) {
            return {
              status: 400,
              body: {
                errors: [{ parameters: { text: [] }, message: 'Requires at least one of text, media, quote_tweet_id, poll, card_uri' }],
                title: 'Invalid Request',
                detail: 'One or more parameters to your request was invalid.',
                type: 'https://api.twitter.com/2/problems/invalid-request',
              },
            };
          }
          if (weightedLength(body.text) > MAX_WEIGHTED_LENGTH) {
            return problem(
              403,
              'Forbidden',
              'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.',
            );
          }
          if (tweets.some((t) => t.authorId === user.id && t.sentText === body.text)) {
            return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
          }
          const id = String((nextId += 1_000_000n + BigInt(Math.floor(Math.random() * 1000))));
          const tweet = { id, authorId: user.id, sentText: body.text, createdAt: new Date().toISOString(), ...shortenLinks(body.text) };
          tweets.push(tweet);
          return ok(201, { data: { edit_history_tweet_ids: [id], id, text: tweet.text } });
        },
      },
      {
        name: 'users_me',
        method: 'GET',
        path: routePath('/2/users/me'),
        handle(request) {
          const user = authenticate(request);
          if ('status' in user) return user;
          const fields = new Set((request.query.get('user.fields') ?? '').split(','));
          const data = {
            id: user.id,
            name: user.username,
            username: user.username,
            ...(fields.has('public_metrics')
              ? {
                  public_metrics: {
                    followers_count: user.followersCount,
                    following_count: 0,
                    tweet_count: 0,
                    listed_count: 0,
                    like_count: 0,
                  },
                }
              : {}),
          };
          return ok(200, { data });
        },
      },
      {
        name: 'user_tweets',
        method: 'GET',
        path: routePath('/2/users/:id/tweets'),
        handle(request) {
          const user = authenticate(request);
          if ('status' in user) return user;
          const max = Number(request.query.get('max_results') ?? 10);
          if (!Number.isInteger(max) || max < 5 || max > 100) {
            return {
              status: 400,
              body: {
                errors: [
                  {
                    parameters: { max_results: [String(request.query.get('max_results'))] },
                    message: `The \`max_results\` query parameter value [${request.query.get('max_results')}] is not between 5 and 100`,
                  },
                ],
                title: 'Invalid Request',
                detail: 'One or more parameters to your request was invalid.',
                type: 'https://api.twitter.com/2/problems/invalid-request',
              },
            };
          }
          const fields = new Set((request.query.get('tweet.fields') ?? '').split(','));
          const own = tweets
            .filter((t) => t.authorId === request.params.id)
            .reverse()
            .slice(0, max);
          if (own.length === 0) return ok(200, { meta: { result_count: 0 } });
          return ok(200, {
            data: own.map((t) => tweetJson(t, fields)),
            meta: { result_count: own.length, newest_id: own[0]!.id, oldest_id: own.at(-1)!.id },
          });
        },
      },
      {
        name: 'authorize_page',
        method: 'GET',
        path: routePath('/i/oauth2/authorize'),
        handle(request) {
          const params = Object.fromEntries(request.query);
          const problem = unsendable(params);
          if (problem) return problem;
          return consentPage({
            network: 'X',
            appName: 'Sharepool',
            accountName: `@${(signedIn ?? user).username}`,
            scopes: params.scope!.split(' '),
            action: '/i/oauth2/authorize',
            fields: params,
            allowLabel: 'Authorize app',
            denyLabel: 'Cancel',
          });
        },
      },
      {
        name: 'authorize',
        method: 'POST',
        path: routePath('/i/oauth2/authorize'),
        handle(request) {
          const { decision, ...params } = formOf(request);
          const problem = unsendable(params);
          if (problem) return problem;
          if (decision !== 'allow') return redirectTo(params.redirect_uri!, { error: 'access_denied', state: params.state });
          const code = grants.issueCode({
            clientId: client.clientId,
            redirectUri: params.redirect_uri!,
            account: signedIn ?? user,
            scope: params.scope!,
            codeChallenge: params.code_challenge!,
            codeChallengeMethod: params.code_challenge_method ?? 'plain',
          });
          return redirectTo(params.redirect_uri!, { state: params.state, code });
        },
      },
      {
        name: 'token',
        method: 'POST',
        path: routePath('/2/oauth2/token'),
        handle(request) {
          const params = formOf(request);
          const refused = clientOf(request, params);
          if (refused) return refused;
          const answer = (tokens: { accessToken: string; refreshToken: string | null; expiresIn: number | null }, scope: string) => ({
            status: 200,
            body: {
              token_type: 'bearer',
              expires_in: tokens.expiresIn,
              access_token: tokens.accessToken,
              scope,
              ...(tokens.refreshToken && scope.split(' ').includes('offline.access') ? { refresh_token: tokens.refreshToken } : {}),
            },
          });
          if (params.grant_type === 'authorization_code') {
            const redeemed = grants.redeemCode(params.code ?? '', {
              clientId: client.clientId,
              redirectUri: params.redirect_uri,
              codeVerifier: params.code_verifier,
            });
            if (!redeemed.ok) return tokenError(400, 'invalid_request', 'Value passed for the authorization code was invalid.');
            return answer(redeemed.tokens, redeemed.grant.scope);
          }
          if (params.grant_type === 'refresh_token') {
            const refreshed = grants.refresh(params.refresh_token ?? '', client.clientId);
            if (!refreshed.ok) return tokenError(400, 'invalid_request', 'Value passed for the token was invalid.');
            return answer(refreshed.tokens, refreshed.scope);
          }
          return tokenError(400, 'invalid_request', 'Value passed for the grant_type parameter was invalid.');
        },
      },
      {
        name: 'revoke',
        method: 'POST',
        path: routePath('/2/oauth2/revoke'),
        handle(request) {
          const params = formOf(request);
          const refused = clientOf(request, params);
          if (refused) return refused;
          grants.revoke(params.token ?? '');
          return { status: 200, body: { revoked: true } };
        },
      },
    ],
    {
      notFound: (request) =>
        problem(
          404,
          'Not Found Error',
          `Could not find the resource: ${request.path}`,
          'https://api.twitter.com/2/problems/resource-not-found',
        ),
    },
  );

  const user = addUser(options.username ?? 'alice', { accessToken: options.accessToken, followersCount: options.followersCount ?? 1200 });

  return {
    url: server.url,
    user,
    tweets,
    requests: server.requests,
    addUser,
    revokeToken: (token) => void revoked.add(token),
    fail: (route, fault, times) => server.fault(route, fault, times),
    rateLimitNext(route, seconds) {
      server.fault(route, { reply: problem(429, 'Too Many Requests', 'Too Many Requests', 'about:blank', rateHeaders(0, seconds)) });
    },
    serverErrorNext: (route) => server.fault(route, { reply: problem(503, 'Service Unavailable', 'Service Unavailable') }),
    hangAfterPostingNext: () => server.fault('create_tweet', { hang: 'after' }),
    client,
    signIn: (who) => void (signedIn = who),
    setAccessTokenLifetime: (seconds) => void (accessLifetime = seconds),
    refreshes: grants.refreshes,
    revokeAppAccess: (who) => grants.revokeAccount(who),
    close: () => server.close(),
  };
}

/** X wraps every link in t.co and keeps the original in entities.urls. */
function shortenLinks(sent: string): Pick<XFakeTweet, 'text' | 'urls'> {
  const urls: { start: number; end: number; url: string; expanded_url: string; display_url: string }[] = [];
  let text = '';
  let last = 0;
  for (const match of sent.matchAll(/https?:\/\/\S+/g)) {
    text += sent.slice(last, match.index);
    const short = `https://t.co/${randomBytes(8).toString('base64url').slice(0, 10)}`;
    const start = [...text].length;
    urls.push({
      start,
      end: start + short.length,
      url: short,
      expanded_url: match[0],
      display_url: match[0].replace(/^https?:\/\//, '').slice(0, 26),
    });
    text += short;
    last = match.index + match[0].length;
  }
  return { text: text + sent.slice(last), urls };
}

/** twitter-text's weighted length: links 23, emoji 2, Latin 1, the rest 2. */
function weightedLength(text: string): number {
  let length = 0;
  const rest = text.normalize('NFC').replace(/https?:\/\/\S+/g, () => {
    length += 23;
    return '';
  });
  for (const { segment } of graphemes.segment(rest)) {
    if (/\p{Extended_Pictographic}/u.test(segment)) length += 2;
    else
      for (const char of segment)
        length += char.codePointAt(0)! <= 0x10ff || /[\u2000-\u200d\u2010-\u201f\u2032-\u2037]/.test(char) ? 1 : 2;
  }
  return length;
}
