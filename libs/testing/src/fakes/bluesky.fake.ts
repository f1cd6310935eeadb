import { createHash, randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';

export interface BlueskyFakeAccount {
  readonly did: string;
  readonly handle: string;
  appPassword: string;
  followersCount: number;
}

export interface BlueskyFakeRecord {
  readonly uri: string;
  readonly cid: string;
  readonly did: string;
  readonly rkey: string;
  readonly value: Record<string, unknown> & { text: string };
}

/** The XRPC methods the fake serves, for scripting faults. */
export type BlueskyRoute = 'createSession' | 'refreshSession' | 'getSession' | 'createRecord' | 'listRecords' | 'getProfile';

export interface BlueskyFake extends NetworkFake<BlueskyRoute> {
  readonly account: BlueskyFakeAccount;
  /** Every app.bsky.feed.post record created, oldest first. */
  readonly posts: readonly BlueskyFakeRecord[];
  /** How many sessions were created (createSession answered 200). */
  readonly sessionsCreated: number;
  addAccount(handle: string, options?: { appPassword?: string; followersCount?: number }): BlueskyFakeAccount;
  /** Every access token issued so far answers 400 ExpiredToken (refresh tokens still work). */
  expireAccessTokens(): void;
  /** Every session ends (access and refresh tokens), the app passwords still work. */
  endSessions(): void;
  /** The app password stops working and every session of the account ends. */
  revokeAppPassword(handle: string): void;
  /** 429 RateLimitExceeded with the PDS's ratelimit-* headers, reset in `seconds`. */
  rateLimitNext(route: BlueskyRoute, seconds: number): void;
  /** The next post is made, and its answer stops after the first bytes. */
  stallAfterPostingNext(): void;
  /** The next post is made and answered with this URI instead of its own, as a PDS a member runs could answer. */
  answerUriNext(uri: string): void;
}

interface Session {
  readonly did: string;
  expired: boolean;
}

const MAX_GRAPHEMES = 300;
const MAX_BYTES = 3000;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A local Bluesky PDS: sessions, post records, listRecords and getProfile, with XRPC `{ error, message }` failures. */
export async function startBlueskyFake(
  options: { handle?: string; appPassword?: string; followersCount?: number } = {},
): Promise<BlueskyFake> {
  const accounts = new Map<string, BlueskyFakeAccount>(); // by handle
  const accessTokens = new Map<string, Session>();
  const refreshTokens = new Map<string, Session>();
  const posts: BlueskyFakeRecord[] = [];
  const uriOverrides: string[] = [];
  let sessionsCreated = 0;
  let clock = 0n;

  const xrpcError = (status: number, error: string, message: string, headers?: Record<string, string>): FakeReply => ({
    status,
    body: { error, message },
    headers,
  });

  const addAccount = (handle: string, opts: { appPassword?: string; followersCount?: number } = {}): BlueskyFakeAccount => {
    const account = {
      did: `did:plc:${base32(randomBytes(15)).slice(0, 24)}`,
      handle,
      appPassword: opts.appPassword ?? appPassword(),
      followersCount: opts.followersCount ?? 0,
    };
    accounts.set(handle, account);
    return account;
  };

  const findAccount = (identifier: string) => [...accounts.values()].find((a) => a.handle === identifier || a.did === identifier);
  const accountOf = (did: string) => [...accounts.values()].find((a) => a.did === did)!;

  const issueSession = (account: BlueskyFakeAccount) => {
    const session = { did: account.did, expired: false };
    const accessJwt = jwt({ scope: 'com.atproto.appPass', sub: account.did, exp: Math.floor(Date.now() / 1000) + 7200 });
    const refreshJwt = jwt({ scope: 'com.atproto.refresh', sub: account.did, jti: randomBytes(12).toString('base64url') });
    accessTokens.set(accessJwt, session);
    refreshTokens.set(refreshJwt, { ...session });
    return { accessJwt, refreshJwt, handle: account.handle, did: account.did, active: true };
  };

  const authenticate = (request: FakeRequest): Session | FakeReply => {
    const token = bearerToken(request);
    if (!token) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
    const session = accessTokens.get(token);
    if (!session) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (session.expired) return xrpcError(400, 'ExpiredToken', 'Token has expired');
    return session;
  };

  const nextTid = () => {
    // A TID: microseconds since the epoch and a clock id, in sortable base32, always increasing.
    const now = BigInt(Date.now()) * 1000n;
    clock = now > clock ? now : clock + 1n;
    return sortableBase32((clock << 10n) | 7n).padStart(13, '2');
  };

  const server = await FakeHttpServer.start(
    [
      {
        name: 'createSession',
        method: 'POST',
        path: routePath('/xrpc/com.atproto.server.createSession'),
        handle(request) {
          const body = (request.json() ?? {}) as { identifier?: unknown; password?: unknown };
          if (typeof body.identifier !== 'string' || typeof body.password !== 'string') {
            return xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier"');
          }
          const account = findAccount(body.identifier.replace(/^@/, ''));
          if (!account || account.appPassword !== body.password)
            return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
          sessionsCreated++;
          return { status: 200, body: issueSession(account) };
        },
      },
      {
        name: 'refreshSession',
        method: 'POST',
        path: routePath('/xrpc/com.atproto.server.refreshSession'),
        handle(request) {
          const token = bearerToken(request);
          const session = token ? refreshTokens.get(token) : undefined;
          if (!session) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
          if (session.expired) return xrpcError(400, 'ExpiredToken', 'Token has been revoked');
          refreshTokens.delete(token!);
          return { status: 200, body: issueSession(accountOf(session.did)) };
        },
      },
      {
        name: 'getSession',
        method: 'GET',
        path: routePath('/xrpc/com.atproto.server.getSession'),
        handle(request) {
          const session = authenticate(request);
          if ('status' in session) return session;
          const account = accountOf(session.did);
          return { status: 200, body: { handle: account.handle, did: account.did, active: true } };
        },
      },
      {
        name: 'createRecord',
        method: 'POST',
        path: routePath('/xrpc/com.atproto.repo.createRecord'),
        handle(request) {
          const session = authenticate(request);
          if ('status' in session) return session;
          const body = (request.json() ?? {}) as { repo?: string; collection?: string; record?: Record<string, unknown> };
          if (body.repo !== session.did && body.repo !== accountOf(session.did).handle) {
            return xrpcError(400, 'InvalidRequest', 'Input/repo must be the authenticated account');
          }
          if (body.collection !== 'app.bsky.feed.post')
            return xrpcError(400, 'InvalidRequest', `Unsupported collection: ${body.collection}`);
          const record = body.record ?? {};
          const problem = postRecordProblem(record);
          if (problem) return xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${problem}`);
          const rkey = nextTid();
          const uri = `at://${session.did}/app.bsky.feed.post/${rkey}`;
          const cid = cidOf(record);
          posts.push({ uri, cid, did: session.did, rkey, value: record as BlueskyFakeRecord['value'] });
          const answered = uriOverrides.shift() ?? uri;
          return { status: 200, body: { uri: answered, cid, commit: { cid: cidOf({ uri }), rev: nextTid() }, validationStatus: 'valid' } };
        },
      },
      {
        name: 'listRecords',
        method: 'GET',
        path: routePath('/xrpc/com.atproto.repo.listRecords'),
        handle(request) {
          const repo = request.query.get('repo') ?? '';
          const account = findAccount(repo);
          if (!account) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${repo}`);
          const limit = Math.min(100, Math.max(1, Number(request.query.get('limit') ?? 50) || 50));
          const own = posts.filter((p) => p.did === account.did && request.query.get('collection') === 'app.bsky.feed.post');
          const ordered = request.query.get('reverse') === 'true' ? own : [...own].reverse();
          const page = ordered.slice(0, limit);
          return { status: 200, body: { records: page.map(({ uri, cid, value }) => ({ uri, cid, value })), cursor: page.at(-1)?.rkey } };
        },
      },
      {
        name: 'getProfile',
        method: 'GET',
        path: routePath('/xrpc/app.bsky.actor.getProfile'),
        handle(request) {
          const session = authenticate(request);
          if ('status' in session) return session;
          const account = findAccount(request.query.get('actor') ?? '');
          if (!account) return xrpcError(400, 'InvalidRequest', 'Profile not found');
          const postsCount = posts.filter((p) => p.did === account.did).length;
          return {
            status: 200,
            body: {
              did: account.did,
              handle: account.handle,
              displayName: account.handle,
              followersCount: account.followersCount,
              followsCount: 0,
              postsCount,
            },
          };
        },
      },
    ],
    { notFound: () => xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented') },
  );

  const account = addAccount(options.handle ?? 'alice.bsky.social', {
    appPassword: options.appPassword,
    followersCount: options.followersCount ?? 17,
  });

  return {
    url: server.url,
    account,
    posts,
    requests: server.requests,
    get sessionsCreated() {
      return sessionsCreated;
    },
    addAccount,
    expireAccessTokens() {
      for (const session of accessTokens.values()) session.expired = true;
    },
    endSessions() {
      for (const sessions of [accessTokens, refreshTokens]) for (const session of sessions.values()) session.expired = true;
    },
    revokeAppPassword(handle) {
      const revoked = accounts.get(handle)!;
      revoked.appPassword = appPassword();
      for (const sessions of [accessTokens, refreshTokens]) {
        for (const session of sessions.values()) if (session.did === revoked.did) session.expired = true;
      }
    },
    fail: (route, fault, times) => server.fault(route, fault, times),
    rateLimitNext(route, seconds) {
      server.fault(route, {
        reply: xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', {
          'ratelimit-limit': '30',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.floor(Date.now() / 1000) + seconds),
          'ratelimit-policy': '30;w=300',
        }),
      });
    },
    serverErrorNext: (route) => server.fault(route, { reply: xrpcError(500, 'InternalServerError', 'Internal Server Error') }),
    hangAfterPostingNext: () => server.fault('createRecord', { hang: 'after' }),
    stallAfterPostingNext: () => server.fault('createRecord', { stall: 'body' }),
    answerUriNext: (uri) => void uriOverrides.push(uri),
    close: () => server.close(),
  };
}

/** What app.bsky.feed.post's lexicon says about a record, as the PDS checks it. */
function postRecordProblem(record: Record<string, unknown>): string | undefined {
  if (typeof record.text !== 'string') return 'Record must have the property "text"';
  if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt)))
    return 'Record/createdAt must be an valid atproto datetime';
  if (Buffer.byteLength(record.text) > MAX_BYTES) return `Record/text must not be longer than ${MAX_BYTES} characters`;
  if ([...graphemes.segment(record.text)].length > MAX_GRAPHEMES) return `Record/text must not be longer than ${MAX_GRAPHEMES} graphemes`;
  return undefined;
}

function appPassword(): string {
  const letters = base32(randomBytes(10)).slice(0, 16);
  return letters.match(/.{4}/g)!.join('-');
}

/** A JWT-shaped token (nothing checks its signature here). */
function jwt(payload: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'at+jwt', alg: 'ES256K' })}.${part({ ...payload, iat: Math.floor(Date.now() / 1000) })}.${randomBytes(32).toString('base64url')}`;
}

/** A CIDv1 (dag-cbor, sha2-256) in multibase base32, as the PDS returns them. */
function cidOf(value: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]))}`;
}

/** RFC 4648 base32, lower case, no padding. */
function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** atproto's sortable base32 of a number (TIDs). */
function sortableBase32(value: bigint): string {
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  let out = '';
  let rest = value;
  do {
    out = alphabet[Number(rest % 32n)] + out;
    rest /= 32n;
  } while (rest > 0n);
  return out;
}
