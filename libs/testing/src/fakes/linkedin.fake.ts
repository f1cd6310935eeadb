import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';

export interface LinkedInFakeMember {
  readonly sub: string;
  readonly name: string;
  readonly accessToken: string;
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
export type LinkedInRoute = 'userinfo' | 'create_post' | 'find_posts';

export interface LinkedInFake extends NetworkFake<LinkedInRoute> {
  readonly member: LinkedInFakeMember;
  readonly posts: readonly LinkedInFakePost[];
  addMember(name: string, options?: { accessToken?: string }): LinkedInFakeMember;
  /** Later calls with this token answer 401 REVOKED_ACCESS_TOKEN. */
  revokeToken(accessToken: string): void;
  /** The posts finder answers 403, as it does for apps without r_member_social. */
  denyPostReads(denied: boolean): void;
  /** 429 TOO_MANY_REQUESTS; with `retryAfterSeconds`, a Retry-After header too. */
  rateLimitNext(route: LinkedInRoute, retryAfterSeconds?: number): void;
}

const MAX_COMMENTARY = 3000;

/** A local LinkedIn API: GET /v2/userinfo, POST and GET /rest/posts, with `{ status, serviceErrorCode, code, message }` errors. */
export async function startLinkedInFake(options: { name?: string; accessToken?: string } = {}): Promise<LinkedInFake> {
  const members = new Map<string, LinkedInFakeMember>(); // by token
  const revoked = new Set<string>();
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

  const addMember = (name: string, opts: { accessToken?: string } = {}): LinkedInFakeMember => {
    const member = {
      sub: randomBytes(6).toString('base64url'),
      name,
      accessToken: opts.accessToken ?? `AQV${randomBytes(40).toString('base64url')}`,
    };
    members.set(member.accessToken, member);
    return member;
  };

  const authenticate = (request: FakeRequest): LinkedInFakeMember | FakeReply => {
    const token = bearerToken(request);
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
    close: () => server.close(),
  };
}
