import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { AtpAgent, RichText, XRPCError } from '@atproto/api';
import { InvalidInputError } from '@sharepool/kernel';
import { withDeadline } from '@sharepool/outbound';
import { httpUrlOrNull } from './external-url.js';
import { instanceOrigin } from './instance-url.js';
import {
  type AdapterTimeouts,
  type ChannelCredentials,
  DEFAULT_TIMEOUTS,
  type GuardedHttp,
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
  withoutCredentials,
} from './publish-failures.js';

export interface BlueskyAdapterOptions {
  /** The SSRF-guarded client: the PDS URL is the member's. */
  readonly http: GuardedHttp;
  /** The PDS used when a channel names none. */
  readonly defaultServiceUrl?: string;
  /** Where people read posts, for externalUrl. */
  readonly webUrl?: string;
  readonly timeouts?: Partial<AdapterTimeouts>;
  /** Sessions kept in memory (createSession is rate limited per account). */
  readonly maxSessions?: number;
}

/** XRPC errors that mean the session or the app password no longer works. */
const SESSION_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthMissing']);
const ACCOUNT_ERRORS = new Set(['AccountTakedown', 'AccountDeactivated']);
const RECENT_RECORDS = 50;

interface PostRecordValue {
  text?: string;
  facets?: { features?: { $type?: string; uri?: string }[] }[];
  embed?: { external?: { uri?: string } };
}

/**
 * Bluesky through @atproto/api: a post record with the link as a facet and an
 * external embed. Sessions come from createSession with the handle and app
 * password, are kept in memory (refreshed by the agent) and created again when
 * they stop working; nothing is persisted. Bluesky has no idempotency key, so
 * after an ambiguous outcome findPublished looks through the account's records.
 */
export class BlueskyAdapter implements NetworkAdapter {
  readonly network = 'BLUESKY' as const;
  readonly honoursIdempotencyKey = false;
  private readonly fetchFn: typeof fetch;
  private readonly timeouts: AdapterTimeouts;
  private readonly defaultService: string;
  private readonly webUrl: string;
  private readonly maxSessions: number;
  private readonly sessions = new Map<string, Promise<AtpAgent>>();
  /** The deadline of the adapter call in progress, read by every request it makes. */
  private readonly deadline = new AsyncLocalStorage<number>();

  constructor(options: BlueskyAdapterOptions) {
    this.fetchFn = options.http.fetchFunction();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.defaultService = options.defaultServiceUrl ?? 'https://bsky.social';
    this.webUrl = (options.webUrl ?? 'https://bsky.app').replace(/\/+$/, '');
    this.maxSessions = options.maxSessions ?? 1_000;
  }

  async verify(handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
    if (credentials.instanceUrl && !instanceOrigin(credentials.instanceUrl)) {
      throw new InvalidInputError('instanceUrl', 'The Bluesky server must be an address such as https://bsky.social');
    }
    if (!credentials.appPassword) throw new InvalidInputError('appPassword', 'A Bluesky channel needs an app password');
    if (!identifierOf(handle))
      throw new InvalidInputError('handle', 'A Bluesky channel needs the account handle, such as alice.bsky.social');
    return this.deadline.run(this.timeouts.readMs, async () => {
      // Always a new session: verify is where a wrong app password must show.
      this.sessions.delete(this.sessionKey(credentials, handle));
      return this.withSession(credentials, handle, false, async (agent) => {
        const did = agent.session!.did;
        const profile = await agent.getProfile({ actor: did });
        return { handle: agent.session!.handle, accountId: did, audienceSize: profile.data.followersCount ?? null };
      });
    });
  }

  async readAudience(handle: string, credentials: ChannelCredentials): Promise<number | null> {
    return this.deadline.run(this.timeouts.readMs, () =>
      this.withSession(credentials, handle, false, async (agent) => {
        const profile = await agent.getProfile({ actor: agent.session!.did });
        return profile.data.followersCount ?? null;
      }),
    );
  }

  async publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult> {
    return this.deadline.run(this.timeouts.publishMs, () =>
      this.withSession(credentials, request.channelHandle, true, async (agent) => {
        const text = new RichText({ text: request.text });
        text.detectFacetsWithoutResolution();
        const created = await agent.post({
          text: text.text,
          facets: text.facets,
          embed: { $type: 'app.bsky.embed.external', external: { uri: request.link, title: request.post.title, description: '' } },
          createdAt: new Date().toISOString(),
        });
        return { externalId: created.uri, externalUrl: this.postUrl(agent.session!.handle, created.uri) };
      }),
    );
  }

  async findPublished(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult | null> {
    return this.deadline.run(this.timeouts.readMs, () =>
      this.withSession(credentials, request.channelHandle, false, async (agent) => {
        const { data } = await agent.com.atproto.repo.listRecords({
          repo: agent.session!.did,
          collection: 'app.bsky.feed.post',
          limit: RECENT_RECORDS,
        });
        const found = data.records.find((record) => linksTo(record.value as PostRecordValue, request.link));
        return found ? { externalId: found.uri, externalUrl: this.postUrl(agent.session!.handle, found.uri) } : null;
      }),
    );
  }

  /** Runs `fn` with a logged-in agent; a session the PDS no longer accepts is replaced once. */
  private async withSession<T>(
    credentials: ChannelCredentials,
    handle: string,
    mutating: boolean,
    fn: (agent: AtpAgent) => Promise<T>,
  ): Promise<T> {
    const key = this.sessionKey(credentials, handle);
    for (let attempt = 0; ; attempt++) {
      let agent: AtpAgent;
      try {
        agent = await this.session(key, credentials, handle);
      } catch (error) {
        throw withoutCredentials(toPublishError(error, false, 'app password'), credentials);
      }
      try {
        return await fn(agent);
      } catch (error) {
        // A refused session means nothing was made: logging in again and retrying is safe.
        if (attempt === 0 && isSessionFailure(error)) {
          this.sessions.delete(key);
          continue;
        }
        throw withoutCredentials(toPublishError(error, mutating, 'post'), credentials);
      }
    }
  }

  private session(key: string, credentials: ChannelCredentials, handle: string): Promise<AtpAgent> {
    const cached = this.sessions.get(key);
    if (cached) return cached;
    const service = this.serviceOf(credentials);
    const identifier = identifierOf(handle);
    const password = credentials.appPassword;
    if (!identifier) return Promise.reject(new PublishError('PERMANENT', 'The Bluesky channel has no handle to log in with; reconnect it'));
    if (!password) return Promise.reject(new PublishError('AUTH_EXPIRED', 'The Bluesky channel has no app password; reconnect it'));
    const agent = new AtpAgent({ service, fetch: this.timedFetch });
    const login = agent.login({ identifier, password }).then(() => agent);
    login.catch(() => {
      if (this.sessions.get(key) === login) this.sessions.delete(key);
    });
    if (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(key, login);
    return login;
  }

  /**
   * Every request of the call in progress gets its deadline (see withDeadline for
   * why not AbortSignal.timeout), body included: the answer (small JSON) is read
   * in full before the deadline ends, so one that stops halfway times out too.
   */
  private readonly timedFetch: typeof fetch = (input, init) =>
    withDeadline(
      this.deadline.getStore() ?? this.timeouts.readMs,
      init?.signal ?? (input instanceof Request ? input.signal : undefined),
      async (signal) => {
        const response = await this.fetchFn(input, { ...init, signal });
        const body = await response.arrayBuffer();
        return new Response(body.byteLength > 0 ? body : null, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      },
    );

  private serviceOf(credentials: ChannelCredentials): string {
    if (!credentials.instanceUrl) return this.defaultService;
    const origin = instanceOrigin(credentials.instanceUrl);
    if (!origin) throw new PublishError('PERMANENT', 'The Bluesky channel has no valid server address; reconnect it');
    return origin;
  }

  private sessionKey(credentials: ChannelCredentials, handle: string): string {
    const service = instanceOrigin(credentials.instanceUrl) ?? this.defaultService;
    // Hashed: the map never holds an app password.
    return createHash('sha256')
      .update(`${service}\n${identifierOf(handle)}\n${credentials.appPassword ?? ''}`)
      .digest('base64url');
  }

  /**
   * The post's page on the Bluesky web app, built from the record's at:// URI
   * (a member's own PDS answers it): null unless the URI is a post record's
   * with a well-formed DID and record key. The handle is used when it is a
   * plain domain name, else the DID.
   */
  private postUrl(handle: string, uri: string): string | null {
    const match = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]{1,2048})\/app\.bsky\.feed\.post\/([A-Za-z0-9._:~-]{1,512})$/.exec(uri);
    if (!match) return null;
    const [, did, rkey] = match;
    const who = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$/.test(handle) ? handle : did!;
    return httpUrlOrNull(`${this.webUrl}/profile/${encodeURIComponent(who)}/post/${encodeURIComponent(rkey!)}`);
  }
}

function identifierOf(handle: string): string {
  return handle.trim().replace(/^@/, '');
}

function isSessionFailure(error: unknown): boolean {
  return error instanceof XRPCError && (error.status === 401 || (error.status === 400 && SESSION_ERRORS.has(error.error ?? '')));
}

function toPublishError(error: unknown, mutating: boolean, subject: 'post' | 'app password'): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof XRPCError && error.status >= 400) {
    const status = error.status;
    const message = clipReason(error.message || error.error || `HTTP ${status}`);
    const headers = headerLookup(error.headers);
    if (status === 401 || ACCOUNT_ERRORS.has(error.error ?? '') || (status === 400 && SESSION_ERRORS.has(error.error ?? ''))) {
      return new PublishError('AUTH_EXPIRED', `Bluesky no longer accepts the channel's app password: ${message}`);
    }
    if (status === 429) {
      const retryAfterSeconds = retryAfterHeader(headers('retry-after')) ?? secondsUntilEpoch(headers('ratelimit-reset'));
      return new PublishError('TRANSIENT', `Bluesky asked to slow down: ${message}`, { retryAfterSeconds });
    }
    if (status >= 500) return new PublishError('TRANSIENT', `Bluesky is unavailable (${status}): ${message}`);
    return new PublishError('PERMANENT', `Bluesky refused the ${subject === 'post' && mutating ? 'post' : 'request'}: ${message}`);
  }
  return transportFailure('Bluesky', error, mutating) ?? unexpectedFailure('Bluesky', mutating);
}

/** Whether a post record links to `link`: a link facet, the external embed, or the text. */
function linksTo(value: PostRecordValue, link: string): boolean {
  if (value.embed?.external?.uri === link) return true;
  if (value.facets?.some((facet) => facet.features?.some((feature) => feature.uri === link))) return true;
  return typeof value.text === 'string' && value.text.includes(link);
}
