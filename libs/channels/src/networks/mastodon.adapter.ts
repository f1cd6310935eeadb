import { MastoHttpError, type mastodon } from 'masto';
import { InvalidInputError } from '@sharepool/kernel';
import { urlOnOrigin } from './external-url.js';
import { instanceOrigin } from './instance-url.js';
import { createMastodonClient } from './mastodon-client.js';
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
  kindOfStatus,
  retryAfterHeader,
  secondsUntilDate,
  transportFailure,
  unexpectedFailure,
  guardedCall,
} from './publish-failures.js';

export interface MastodonAdapterOptions {
  /** The SSRF-guarded client: the instance URL is the member's. */
  readonly http: GuardedHttp;
  readonly timeouts?: Partial<AdapterTimeouts>;
}

/** How many of the account's latest statuses findPublished looks through. */
const RECENT_STATUSES = 40;

/**
 * Mastodon through masto: a public status per share. Mastodon keeps an
 * Idempotency-Key for an hour and answers a repeat with the status it already
 * made, so a retry of an ambiguous post with the same key is safe.
 */
export class MastodonAdapter implements NetworkAdapter {
  readonly network = 'MASTODON' as const;
  readonly honoursIdempotencyKey = true;
  private readonly fetchFn: typeof fetch;
  private readonly timeouts: AdapterTimeouts;

  constructor(options: MastodonAdapterOptions) {
    this.fetchFn = options.http.fetchFunction();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  async verify(_handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
    const url = instanceOrigin(credentials.instanceUrl);
    if (!url) throw new InvalidInputError('instanceUrl', 'The Mastodon instance must be an address such as https://mastodon.social');
    if (!credentials.accessToken) throw new InvalidInputError('accessToken', 'A Mastodon channel needs an access token');
    const client = this.client(credentials, this.timeouts.readMs);
    const account = await this.call(credentials, false, () => client.v1.accounts.verifyCredentials());
    // Account ids are the instance's own: the origin makes them unique across instances.
    return { handle: account.acct, accountId: `${url}#${account.id}`, audienceSize: account.followersCount };
  }

  async readAudience(_handle: string, credentials: ChannelCredentials): Promise<number | null> {
    const client = this.client(credentials, this.timeouts.readMs);
    const account = await this.call(credentials, false, () => client.v1.accounts.verifyCredentials());
    return account.followersCount;
  }

  async publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult> {
    const client = this.client(credentials, this.timeouts.publishMs);
    const status = await this.call(credentials, true, () =>
      client.v1.statuses.create(
        { status: request.text, visibility: 'public' },
        { requestInit: { headers: { 'Idempotency-Key': request.idempotencyKey } } },
      ),
    );
    return { externalId: status.id, externalUrl: statusUrl(status, credentials) };
  }

  async findPublished(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult | null> {
    const client = this.client(credentials, this.timeouts.readMs);
    const statuses = await this.call(credentials, false, async () => {
      const me = await client.v1.accounts.verifyCredentials();
      return client.v1.accounts.$select(me.id).statuses.list({ limit: RECENT_STATUSES, excludeReblogs: true });
    });
    const found = statuses.find((status) => linksTo(status, request.link));
    return found ? { externalId: found.id, externalUrl: statusUrl(found, credentials) } : null;
  }

  private client(credentials: ChannelCredentials, timeoutMs: number): mastodon.rest.Client {
    const url = instanceOrigin(credentials.instanceUrl);
    if (!url) throw new PublishError('PERMANENT', 'The Mastodon channel has no valid instance address; reconnect it');
    if (!credentials.accessToken) throw new PublishError('AUTH_EXPIRED', 'The Mastodon channel has no access token; reconnect it');
    return createMastodonClient({ url, accessToken: credentials.accessToken, timeoutMs, fetch: this.fetchFn });
  }

  private call<T>(credentials: ChannelCredentials, mutating: boolean, fn: () => Promise<T>): Promise<T> {
    return guardedCall(credentials, (error) => toPublishError(error, mutating), fn);
  }
}

/** The status's address, only when it is on the channel's own instance (a member may run the server). */
function statusUrl(status: mastodon.v1.Status, credentials: ChannelCredentials): string | null {
  const origin = instanceOrigin(credentials.instanceUrl);
  return urlOnOrigin(status.url, origin) ?? urlOnOrigin(status.uri, origin);
}

function toPublishError(error: unknown, mutating: boolean): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof MastoHttpError) {
    const message = clipReason(error.description ? `${error.message}: ${error.description}` : error.message);
    const status = error.statusCode;
    // The cause is the Response of whichever fetch ran (undici's own class through the guarded fetch).
    const headers = headerLookup((error.cause as { headers?: Headers } | undefined)?.headers);
    if (status === 401) return new PublishError('AUTH_EXPIRED', `Mastodon no longer accepts the channel's access token: ${message}`);
    // A token without the write scope needs the member to connect again, like an expired one.
    if (status === 403 && /scope/i.test(message)) return new PublishError('AUTH_EXPIRED', `Mastodon refused the access token: ${message}`);
    if (status === 429) {
      const retryAfterSeconds = retryAfterHeader(headers('retry-after')) ?? secondsUntilDate(headers('x-ratelimit-reset'));
      return new PublishError('TRANSIENT', `Mastodon asked to slow down: ${message}`, { retryAfterSeconds });
    }
    const kind = kindOfStatus(status);
    if (kind === 'TRANSIENT') {
      return new PublishError('TRANSIENT', `Mastodon is unavailable (${status}): ${message}`, {
        retryAfterSeconds: retryAfterHeader(headers('retry-after')),
      });
    }
    return new PublishError('PERMANENT', `Mastodon refused the ${mutating ? 'post' : 'request'}: ${message}`);
  }
  return transportFailure('Mastodon', error, mutating) ?? unexpectedFailure('Mastodon', mutating);
}

/** Whether a status links to `link`: an anchor in its HTML or its preview card. */
function linksTo(status: mastodon.v1.Status, link: string): boolean {
  if (status.card?.url === link) return true;
  const escaped = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return status.content.includes(`href="${escaped}"`) || status.content.includes(`href="${link}"`);
}
