import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';

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
export type XRoute = 'create_tweet' | 'users_me' | 'user_tweets';

export interface XFake extends NetworkFake<XRoute> {
  readonly user: XFakeUser;
  /** Every tweet created, oldest first. */
  readonly tweets: readonly XFakeTweet[];
  addUser(username: string, options?: { accessToken?: string; followersCount?: number }): XFakeUser;
  /** Later calls with this token answer 401 Unauthorized. */
  revokeToken(accessToken: string): void;
  /** 429 Too Many Requests with x-rate-limit-* headers, reset in `seconds`. */
  rateLimitNext(route: XRoute, seconds: number): void;
}

const MAX_WEIGHTED_LENGTH = 280;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A local X API v2: POST /2/tweets, GET /2/users/me and /2/users/:id/tweets, with X's problem JSON errors. */
export async function startXFake(options: { username?: string; accessToken?: string; followersCount?: number } = {}): Promise<XFake> {
  const users = new Map<string, XFakeUser>(); // by token
  const revoked = new Set<string>();
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
