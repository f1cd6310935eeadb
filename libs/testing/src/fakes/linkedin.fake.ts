import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';
import { consentPage, errorPage, formOf, OAuthGrants, redirectTo } from './oauth-grants.js';

export interface LinkedInFakeMember {
  readonly sub: string;
  readonly name: string;
  readonly accessToken: string;
  /** Followers; the Member Follower Statistics API answers 403 for a member without it (an app not granted the permission). */
  followersCount?: number;
}

/** Sharepool's app at the fake LinkedIn. */
export interface LinkedInFakeClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Authorized redirect URLs; empty: any. */
  readonly redirectUris: readonly string[];
}

export interface LinkedInFakeOptions {
  name?: string;
  accessToken?: string;
  client?: Partial<LinkedInFakeClient>;
  /** Whether the app is granted refresh tokens (LinkedIn grants them to some partners only). Default false. */
  refreshTokens?: boolean;
  /** Seconds an OAuth access token lives; LinkedIn's own is 60 days. */
  accessTokenLifetimeSeconds?: number;
}

export interface LinkedInFakePost {
  /** urn:li:share:… */
  readonly id: string;
  readonly author: string;
  /** As sent, little-text escapes included. */
  readonly commentary: string;
  readonly articleSource: string | undefined;
  readonly createdAt: number;
  /** The headers the post was created with. */
  readonly version: string | undefined;
  readonly restliProtocolVersion: string | undefined;
}

/** The LinkedIn endpoints the fake serves, for scripting faults. */
export type LinkedInRoute =
  'userinfo' | 'create_post' | 'find_posts' | 'followers_count' | 'authorize_page' | 'authorize' | 'token' | 'revoke';

export interface LinkedInFake extends NetworkFake<LinkedInRoute> {
  readonly member: LinkedInFakeMember;
  readonly posts: readonly LinkedInFakePost[];
  addMember(name: string, options?: { accessToken?: string; followersCount?: number }): LinkedInFakeMember;
  /** Later calls with this token answer 401 REVOKED_ACCESS_TOKEN. */
  revokeToken(accessToken: string): void;
  /** The posts finder answers 403, as it does for apps without r_member_social. */
  denyPostReads(denied: boolean): void;
  /** 429 TOO_MANY_REQUESTS; with `retryAfterSeconds`, a Retry-After header too. */
  rateLimitNext(route: LinkedInRoute, retryAfterSeconds?: number): void;
  /** Sharepool's app, for LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET. */
  readonly client: LinkedInFakeClient;
  /** The member signed in on linkedin.com: the one the consent page asks. */
  signIn(member: LinkedInFakeMember): void;
  /** Whether the next grants come with refresh tokens. */
  grantRefreshTokens(granted: boolean): void;
  /** Seconds the next OAuth access tokens live. */
  setAccessTokenLifetime(seconds: number): void;
  readonly refreshes: readonly { token: string; outcome: 'refreshed' | 'refused' }[];
  /** The member removes the app in their settings: every OAuth token of the member ends. */
  revokeAppAccess(member: LinkedInFakeMember): void;
}

const MAX_COMMENTARY = 3000;

/** A local LinkedIn API: GET /v2/userinfo, POST and GET /rest/posts, with `{ status, serviceErrorCode, code, message }` errors. */
export async function startLinkedInFake(options: LinkedInFakeOptions = {}): Promise<LinkedInFake> {
  const members = new Map<string, LinkedInFakeMember>(); // by token
  const revoked = new Set<string>();
  const client: LinkedInFakeClient = {
    clientId: options.client?.clientId ?? randomBytes(7).toString('hex'),
    clientSecret: options.client?.clientSecret ?? randomBytes(12).toString('base64url'),
    redirectUris: options.client?.redirectUris ?? [],
  };
  let refreshGranted = options.refreshTokens ?? false;
  let accessLifetime = options.accessTokenLifetimeSeconds ?? 5_184_000;
  let signedIn: LinkedInFakeMember | undefined;
  // LinkedIn: codes live 30 minutes, access tokens 60 days, refresh tokens (where granted) a year and are not rotated.
  const grants = new OAuthGrants<LinkedInFakeMember>({
    codeLifetimeMs: 1_800_000,
    accessLifetimeSeconds: () => accessLifetime,
    refresh: () => (refreshGranted ? 'keep' : 'none'),
    refreshLifetimeSeconds: () => 31_536_000,
  });
  const LINKEDIN_SCOPES = new Set(['openid', 'profile', 'email', 'w_member_social', 'r_member_social', 'r_member_profileAnalytics']);
  const tokenError = (status: number, error: string, error_description: string): FakeReply => ({
    status,
    body: { error, error_description },
  });
  /** What linkedin.com shows instead of sending the request back. */
  const unsendable = (params: Record<string, string | undefined>): FakeReply | undefined => {
    if (params.client_id !== client.clientId) return errorPage(400, 'LinkedIn', 'The passed in client_id is invalid');
    if (!params.redirect_uri || (client.redirectUris.length > 0 && !client.redirectUris.includes(params.redirect_uri))) {
      return errorPage(400, 'LinkedIn', 'The redirect_uri does not match the registered value');
    }
    return undefined;
  };
  const refusal = (params: Record<string, string | undefined>): FakeReply | undefined => {
    if (params.response_type !== 'code') {
      return redirectTo(params.redirect_uri!, {
        error: 'invalid_request',
        error_description: 'Invalid response_type',
        state: params.state,
      });
    }
    const scopes = (params.scope ?? '').split(/[ ,]/).filter(Boolean);
    if (scopes.length === 0 || !scopes.every((scope) => LINKEDIN_SCOPES.has(scope))) {
      return redirectTo(params.redirect_uri!, {
        error: 'unauthorized_scope_error',
        error_description: `Scope "${scopes.find((scope) => !LINKEDIN_SCOPES.has(scope)) ?? ''}" is not authorized for your application`,
        state: params.state,
      });
    }
    return undefined;
  };
  const posts: LinkedInFakePost[] = [];
  let readsDenied = false;
  let nextId = 7_300_000_000_000_000_000n;

  const error = (status: number, code: string, serviceErrorCode: number, message: string, headers?: Record<string, string>): FakeReply => ({
    status,
    body: { status, serviceErrorCode, code, message },
    headers,
  });
  const invalidInput = (message: string, fieldPath: string, code: string): FakeReply => ({
    status: 422,
    body: {
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message,
      errorDetails: { inputErrors: [{ description: message, input: { inputPath: { fieldPath } }, code }] },
      status: 422,
    },
  });

  const addMember = (name: string, opts: { accessToken?: string; followersCount?: number } = {}): LinkedInFakeMember => {
    const member: LinkedInFakeMember = {
      sub: randomBytes(6).toString('base64url'),
      name,
      accessToken: opts.accessToken ?? `AQV${randomBytes(40).toString('base64url')}`,
      ...(opts.followersCount === undefined ? {} : { followersCount: opts.followersCount }),
    };
    members.set(member.accessToken, member);
    return member;
  };

  const authenticate = (request: FakeRequest): LinkedInFakeMember | FakeReply => {
    const token = bearerToken(request);
    const granted = grants.check(token);
    if (granted?.ok) return granted.account;
    if (granted?.why === 'revoked')
      return error(401, 'REVOKED_ACCESS_TOKEN', 65601, 'The token used in the request has been revoked by the user');
    if (granted?.why === 'expired') return error(401, 'EXPIRED_ACCESS_TOKEN', 65602, 'The token used in the request has expired');
    if (token && revoked.has(token))
      return error(401, 'REVOKED_ACCESS_TOKEN', 65601, 'The token used in the request has been revoked by the user');
    const member = token ? members.get(token) : undefined;
    return member ?? error(401, 'INVALID_ACCESS_TOKEN', 65600, 'Invalid access token');
  };

  const versioned = (request: FakeRequest): FakeReply | undefined => {
    const version = request.header('linkedin-version');
    if (!version) {
      return error(
        400,
        'VERSION_MISSING',
        100,
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      );
    }
    if (!/^\d{6}(\.\d{2})?$/.test(version)) return error(426, 'NONEXISTENT_VERSION', 100, `Requested version ${version} is not active`);
    return undefined;
  };

  const server = await FakeHttpServer.start([
    {
      name: 'userinfo',
      method: 'GET',
      path: routePath('/v2/userinfo'),
      handle(request) {
        const member = authenticate(request);
        if ('status' in member) return member;
        const [given, ...family] = member.name.split(' ');
        return {
          status: 200,
          body: {
            sub: member.sub,
            email_verified: true,
            name: member.name,
            locale: { country: 'US', language: 'en' },
            given_name: given,
            family_name: family.join(' '),
            email: `${given!.toLowerCase()}@mail.example`,
          },
        };
      },
    },
    {
      name: 'create_post',
      method: 'POST',
      path: routePath('/rest/posts'),
      handle(request) {
        const member = authenticate(request);
        if ('status' in member) return member;
        const wrongVersion = versioned(request);
        if (wrongVersion) return wrongVersion;
        const body = (request.json() ?? {}) as {
          author?: string;
          commentary?: string;
          visibility?: string;
          lifecycleState?: string;
          distribution?: unknown;
          content?: { article?: { source?: string; title?: string } };
        };
        for (const field of ['author', 'visibility', 'lifecycleState', 'distribution'] as const) {
          if (body[field] === undefined)
            return invalidInput(
              `/${field} :: field is required but not found and has no default value`,
              `/${field}`,
              'FIELD_VALUE_MISSING',
            );
        }
        if (body.author !== `urn:li:person:${member.sub}`) {
          return error(
            403,
            'ACCESS_DENIED',
            100,
            `Not enough permissions to access: partnerApiPostsExternal.CREATE.${request.header('linkedin-version')}`,
          );
        }
        const commentary = body.commentary ?? '';
        if (commentary.length > MAX_COMMENTARY) {
          return invalidInput(
            `/commentary :: length of commentary ${commentary.length} exceeds maximum ${MAX_COMMENTARY}`,
            '/commentary',
            'MAX_LENGTH_EXCEEDED',
          );
        }
        const duplicate = posts.find((p) => p.author === body.author && p.commentary === commentary);
        if (duplicate) return invalidInput(`Content is a duplicate of ${duplicate.id}`, '/commentary', 'DUPLICATE_POST');
        const id = `urn:li:share:${(nextId += 1n + BigInt(Math.floor(Math.random() * 1000)))}`;
        posts.push({
          id,
          author: body.author,
          commentary,
          articleSource: body.content?.article?.source,
          createdAt: Date.now(),
          version: request.header('linkedin-version'),
          restliProtocolVersion: request.header('x-restli-protocol-version'),
        });
        return { status: 201, headers: { 'x-restli-id': id, 'x-linkedin-id': id } };
      },
    },
    {
      name: 'find_posts',
      method: 'GET',
      path: routePath('/rest/posts'),
      handle(request) {
        const member = authenticate(request);
        if ('status' in member) return member;
        const wrongVersion = versioned(request);
        if (wrongVersion) return wrongVersion;
        if (readsDenied) {
          return error(
            403,
            'ACCESS_DENIED',
            100,
            `Not enough permissions to access: partnerApiPostsExternal.FINDER-author.${request.header('linkedin-version')}`,
          );
        }
        if (request.query.get('q') !== 'author') return error(400, 'ILLEGAL_ARGUMENT', 100, 'Invalid query parameters passed to request');
        const author = request.query.get('author');
        const count = Math.min(100, Math.max(1, Number(request.query.get('count') ?? 10) || 10));
        const own = posts
          .filter((p) => p.author === author)
          .reverse()
          .slice(0, count);
        return {
          status: 200,
          body: {
            paging: { start: 0, count, links: [] },
            elements: own.map((p) => ({
              id: p.id,
              author: p.author,
              commentary: p.commentary,
              visibility: 'PUBLIC',
              lifecycleState: 'PUBLISHED',
              createdAt: p.createdAt,
              publishedAt: p.createdAt,
              lastModifiedAt: p.createdAt,
              distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
              ...(p.articleSource ? { content: { article: { source: p.articleSource } } } : {}),
            })),
          },
        };
      },
    },
    {
      name: 'followers_count',
      method: 'GET',
      path: routePath('/rest/memberFollowersCount'),
      handle(request) {
        const member = authenticate(request);
        if ('status' in member) return member;
        const wrongVersion = versioned(request);
        if (wrongVersion) return wrongVersion;
        if (member.followersCount === undefined) {
          return error(
            403,
            'ACCESS_DENIED',
            100,
            `Not enough permissions to access: partnerApiMemberFollowersCount.FINDER-me.${request.header('linkedin-version')}`,
          );
        }
        if (request.query.get('q') !== 'me') return error(400, 'ILLEGAL_ARGUMENT', 100, 'Invalid query parameters passed to request');
        return {
          status: 200,
          body: { paging: { start: 0, count: 10, links: [] }, elements: [{ memberFollowersCount: member.followersCount }] },
        };
      },
    },
    {
      name: 'authorize_page',
      method: 'GET',
      path: routePath('/oauth/v2/authorization'),
      handle(request) {
        const params = Object.fromEntries(request.query);
        const problem = unsendable(params) ?? refusal(params);
        if (problem) return problem;
        return consentPage({
          network: 'LinkedIn',
          appName: 'Sharepool',
          accountName: (signedIn ?? member).name,
          scopes: params.scope!.split(/[ ,]/),
          action: '/oauth/v2/authorization',
          fields: params,
          allowLabel: 'Allow',
          denyLabel: 'Cancel',
        });
      },
    },
    {
      name: 'authorize',
      method: 'POST',
      path: routePath('/oauth/v2/authorization'),
      handle(request) {
        const { decision, ...params } = formOf(request);
        const problem = unsendable(params) ?? refusal(params);
        if (problem) return problem;
        if (decision !== 'allow') {
          return redirectTo(params.redirect_uri!, {
            error: 'user_cancelled_authorize',
            error_description: 'The user cancelled the authorization',
            state: params.state,
          });
        }
        const code = grants.issueCode({
          clientId: client.clientId,
          redirectUri: params.redirect_uri!,
          account: signedIn ?? member,
          scope: params.scope!.split(/[ ,]/).join(','),
          codeChallenge: null,
          codeChallengeMethod: null,
        });
        return redirectTo(params.redirect_uri!, { code, state: params.state });
      },
    },
    {
      name: 'token',
      method: 'POST',
      path: routePath('/oauth/v2/accessToken'),
      handle(request) {
        if (!(request.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
          return tokenError(400, 'invalid_request', 'A required parameter "grant_type" is missing');
        }
        const params = formOf(request);
        if (params.client_id !== client.clientId || params.client_secret !== client.clientSecret) {
          return tokenError(401, 'invalid_client', 'Client authentication failed');
        }
        const answer = (
          tokens: { accessToken: string; refreshToken: string | null; expiresIn: number | null; refreshExpiresIn: number | null },
          scope: string,
        ) => ({
          status: 200,
          body: {
            access_token: tokens.accessToken,
            expires_in: tokens.expiresIn,
            ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken, refresh_token_expires_in: tokens.refreshExpiresIn } : {}),
            scope,
            token_type: 'Bearer',
          },
        });
        if (params.grant_type === 'authorization_code') {
          const redeemed = grants.redeemCode(params.code ?? '', {
            clientId: client.clientId,
            redirectUri: params.redirect_uri,
            codeVerifier: undefined,
          });
          if (!redeemed.ok) {
            return tokenError(
              400,
              'invalid_request',
              'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
            );
          }
          return answer(redeemed.tokens, redeemed.grant.scope);
        }
        if (params.grant_type === 'refresh_token') {
          const refreshed = grants.refresh(params.refresh_token ?? '', client.clientId);
          if (!refreshed.ok)
            return tokenError(400, 'invalid_request', 'The provided authorization grant or refresh token is invalid, expired or revoked');
          return answer(refreshed.tokens, refreshed.scope);
        }
        return tokenError(400, 'unsupported_grant_type', 'An unsupported grant type was used');
      },
    },
    {
      name: 'revoke',
      method: 'POST',
      path: routePath('/oauth/v2/revoke'),
      handle(request) {
        const params = formOf(request);
        if (params.client_id !== client.clientId || params.client_secret !== client.clientSecret) {
          return tokenError(401, 'invalid_client', 'Client authentication failed');
        }
        grants.revoke(params.token ?? '');
        return { status: 200 };
      },
    },
  ]);

  const member = addMember(options.name ?? 'Alice Example', { accessToken: options.accessToken });

  return {
    url: server.url,
    member,
    posts,
    requests: server.requests,
    addMember,
    revokeToken: (token) => void revoked.add(token),
    denyPostReads: (denied) => void (readsDenied = denied),
    fail: (route, fault, times) => server.fault(route, fault, times),
    rateLimitNext(route, retryAfterSeconds) {
      const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
      server.fault(route, {
        reply: error(
          429,
          'TOO_MANY_REQUESTS',
          101,
          'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
          headers,
        ),
      });
    },
    serverErrorNext: (route) => server.fault(route, { reply: { status: 500, body: { message: 'Internal Server Error', status: 500 } } }),
    hangAfterPostingNext: () => server.fault('create_post', { hang: 'after' }),
    client,
    signIn: (who) => void (signedIn = who),
    grantRefreshTokens: (granted) => void (refreshGranted = granted),
    setAccessTokenLifetime: (seconds) => void (accessLifetime = seconds),
    refreshes: grants.refreshes,
    revokeAppAccess: (who) => grants.revokeAccount(who),
    close: () => server.close(),
  };
}
