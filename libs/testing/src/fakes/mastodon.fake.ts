import { randomBytes } from 'node:crypto';
import { bearerToken, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type NetworkFake } from './fake-http-server.js';

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

/** The Mastodon endpoints the fake serves, for scripting faults. */
export type MastodonRoute = 'verify_credentials' | 'create_status' | 'account_statuses';

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

  // Doorkeeper's answers: the body is always { error }.
  const authenticate = (request: FakeRequest): MastodonFakeAccount | FakeReply => {
    const token = bearerToken(request);
    if (token && revoked.has(token)) return { status: 401, body: { error: 'The access token was revoked' } };
    const account = token ? accounts.get(token) : undefined;
    return account ?? { status: 401, body: { error: 'The access token is invalid' } };
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
        const account = authenticate(request);
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
        const account = authenticate(request);
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
