import { Agent as HttpAgent } from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  type ITwitterApiClientPlugin,
  TwitterApi,
  TwitterApiv2,
  type TweetV2,
} from 'twitter-api-v2';
import { InvalidInputError } from '@sharepool/kernel';
import {
  type AdapterTimeouts,
  type ChannelCredentials,
  DEFAULT_TIMEOUTS,
  type NetworkAdapter,
  PublishError,
  type PublishRequest,
  type PublishResult,
  type VerifiedAccount,
} from './network-adapter.js';
import {
  clipReason,
  headerLookup,
  retryAfterHeader,
  secondsUntilEpoch,
  transportFailure,
  unexpectedFailure,
  guardedCall,
} from './publish-failures.js';

export interface XAdapterOptions {
  /** Default https://api.x.com; tests point it at a fake. */
  readonly apiBaseUrl?: string;
  /** Where people read posts, for externalUrl. Default https://x.com. */
  readonly webUrl?: string;
  readonly timeouts?: Partial<AdapterTimeouts>;
}

/** The latest tweets findPublished reads (X allows 5 to 100 a page). */
const RECENT_TWEETS = 20;

/** twitter-api-v2's v2 client on another base URL (its cloneWithPrefix cannot run under ESM). */
class PrefixedTwitterApiv2 extends TwitterApiv2 {
  constructor(instance: TwitterApi, prefix: string) {
    super(instance);
    this.setPrefix(prefix);
  }
}

/**
 * X through twitter-api-v2's v2 API with the member's OAuth 2.0 user token
 * (scopes tweet.read, tweet.write, users.read). X has no idempotency key: after
 * an ambiguous outcome findPublished reads the account's latest tweets and
 * matches the link X kept in entities.urls (its text holds only t.co links).
 */
export class XAdapter implements NetworkAdapter {
  readonly network = 'X' as const;
  readonly honoursIdempotencyKey = false;
  private readonly prefix: string;
  private readonly webUrl: string;
  private readonly timeouts: AdapterTimeouts;
  /** twitter-api-v2 calls node:https; a plain-http base URL (a local fake) needs an http agent. */
  private readonly httpAgent: HttpAgent | undefined;

  constructor(options: XAdapterOptions = {}) {
    const base = new URL(options.apiBaseUrl ?? 'https://api.x.com');
    this.prefix = `${base.origin}/2/`;
    this.webUrl = (options.webUrl ?? 'https://x.com').replace(/\/+$/, '');
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.httpAgent = base.protocol === 'http:' ? new HttpAgent() : undefined;
  }

  async verify(_handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
    if (!credentials.accessToken) throw new InvalidInputError('accessToken', 'An X channel needs an access token');
    const client = this.client(credentials, this.timeouts.readMs);
    const me = await this.call(credentials, false, () => client.me({ 'user.fields': ['public_metrics'] }));
    return { handle: me.data.username, accountId: me.data.id, audienceSize: me.data.public_metrics?.followers_count ?? null };
  }

  async readAudience(_handle: string, credentials: ChannelCredentials): Promise<number | null> {
    const client = this.client(credentials, this.timeouts.readMs);
    const me = await this.call(credentials, false, () => client.me({ 'user.fields': ['public_metrics'] }));
    return me.data.public_metrics?.followers_count ?? null;
  }

  async publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult> {
    const client = this.client(credentials, this.timeouts.publishMs);
    const created = await this.call(credentials, true, () => client.tweet(request.text));
    return { externalId: created.data.id, externalUrl: this.tweetUrl(request.channelHandle, created.data.id) };
  }

  async findPublished(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult | null> {
    const client = this.client(credentials, this.timeouts.readMs);
    const tweets = await this.call(credentials, false, async () => {
      const me = await client.me();
      const timeline = await client.userTimeline(me.data.id, {
        max_results: RECENT_TWEETS,
        'tweet.fields': ['created_at', 'entities'],
        exclude: ['retweets', 'replies'],
      });
      return timeline.tweets;
    });
    const found = tweets.find((tweet) => linksTo(tweet, request.link));
    return found ? { externalId: found.id, externalUrl: this.tweetUrl(request.channelHandle, found.id) } : null;
  }

  private client(credentials: ChannelCredentials, timeoutMs: number): TwitterApiv2 {
    if (!credentials.accessToken) throw new PublishError('AUTH_EXPIRED', 'The X channel has no access token; reconnect it');
    // Every request of this client gets the call's deadline (socket idle timeout).
    const deadline: ITwitterApiClientPlugin = {
      onBeforeRequestConfig: ({ params }) => {
        params.timeout ??= timeoutMs;
      },
    };
    const api = new TwitterApi(credentials.accessToken, { plugins: [deadline], ...(this.httpAgent ? { httpAgent: this.httpAgent } : {}) });
    return new PrefixedTwitterApiv2(api, this.prefix);
  }

  /** The post's page, built from its id (digits only: anything else gets no address). */
  private tweetUrl(handle: string, id: string): string | null {
    if (!/^\d{1,20}$/.test(id)) return null;
    const name = handle.trim().replace(/^@/, '');
    return /^\w{1,15}$/.test(name) ? `${this.webUrl}/${name}/status/${id}` : `${this.webUrl}/i/web/status/${id}`;
  }

  private call<T>(credentials: ChannelCredentials, mutating: boolean, fn: () => Promise<T>): Promise<T> {
    return guardedCall(credentials, (error) => toPublishError(error, mutating), fn);
  }
}

function toPublishError(error: unknown, mutating: boolean): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof ApiResponseError) {
    const status = error.code;
    const message = clipReason(problemText(error.data) ?? `HTTP ${status}`);
    const headers = headerLookup(error.headers);
    if (status === 401) return new PublishError('AUTH_EXPIRED', `X no longer accepts the channel's access token: ${message}`);
    if (status === 429) {
      const retryAfterSeconds =
        retryAfterHeader(headers('retry-after')) ??
        // A spent daily allowance resets later than the 15-minute window: wait for whichever is spent.
        (headers('x-user-limit-24hour-remaining') === '0' ? secondsUntilEpoch(headers('x-user-limit-24hour-reset')) : undefined) ??
        secondsUntilEpoch(headers('x-rate-limit-reset'));
      return new PublishError('TRANSIENT', `X asked to slow down: ${message}`, { retryAfterSeconds });
    }
    if (status >= 500 || status === 408) return new PublishError('TRANSIENT', `X is unavailable (${status}): ${message}`);
    return new PublishError('PERMANENT', `X refused the ${mutating ? 'post' : 'request'}: ${message}`);
  }
  if (error instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the socket error as `error` while its getter reads `requestError`.
    const cause = error.requestError ?? (error as unknown as { _options?: { error?: unknown } })._options?.error;
    const known = transportFailure('X', cause, mutating);
    if (known) return known;
    // The request went out (timeout, socket closed without an answer): X may have acted on it.
    return mutating
      ? new PublishError('AMBIGUOUS', 'X did not answer in time; the post may have gone out')
      : new PublishError('TRANSIENT', 'X did not answer in time');
  }
  if (error instanceof ApiPartialResponseError) {
    return mutating
      ? new PublishError('AMBIGUOUS', 'X broke off its answer; the post may have gone out')
      : new PublishError('TRANSIENT', 'X broke off its answer');
  }
  return transportFailure('X', error, mutating) ?? unexpectedFailure('X', mutating);
}

/** X's problem JSON in one line: its detail, or its first error's message, or its title. */
function problemText(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const body = data as { detail?: unknown; title?: unknown; errors?: { message?: unknown; detail?: unknown }[] };
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const fromErrors = typeof first?.message === 'string' ? first.message : typeof first?.detail === 'string' ? first.detail : undefined;
  if (fromErrors) return fromErrors;
  if (typeof body.detail === 'string') return body.detail;
  return typeof body.title === 'string' ? body.title : undefined;
}

function linksTo(tweet: TweetV2, link: string): boolean {
  if (tweet.entities?.urls?.some((url) => url.expanded_url === link || url.unwound_url === link)) return true;
  return tweet.text.includes(link);
}
