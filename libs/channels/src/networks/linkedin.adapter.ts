import type { OutboundResponse } from '@sharepool/outbound';
import { InvalidInputError } from '@sharepool/kernel';
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
import { clipReason, headerLookup, retryAfterHeader, transportFailure, unexpectedFailure, withoutCredentials } from './publish-failures.js';

export interface LinkedInAdapterOptions {
  readonly http: GuardedHttp;
  /** Default https://api.linkedin.com; tests point it at a fake. */
  readonly apiBaseUrl?: string;
  /** The `LinkedIn-Version` (YYYYMM). LinkedIn supports each version for about a year: move it forward with the API. */
  readonly apiVersion?: string;
  /** Where people read posts, for externalUrl. */
  readonly webUrl?: string;
  readonly timeouts?: Partial<AdapterTimeouts>;
}

export const LINKEDIN_API_VERSION = '202609';
const RECENT_POSTS = 20;
/** LinkedIn's "little text" format: these characters must be backslash-escaped in commentary. */
const LITTLE_TEXT_RESERVED = /[\\|{}@[\]()<>#*_~]/g;

interface UserInfo {
  sub?: unknown;
  name?: unknown;
  email?: unknown;
}

interface PostElement {
  id?: unknown;
  commentary?: unknown;
  content?: { article?: { source?: unknown } };
}

/**
 * LinkedIn through its REST Posts API with fetch (no maintained client):
 * the member from /v2/userinfo (OpenID scope), a public post with the link as an
 * article, the post URN from the x-restli-id header. No idempotency key: after
 * an ambiguous outcome findPublished reads the member's posts, which LinkedIn
 * only allows to apps granted r_member_social.
 */
export class LinkedInAdapter implements NetworkAdapter {
  readonly network = 'LINKEDIN' as const;
  readonly honoursIdempotencyKey = false;
  private readonly base: string;
  private readonly version: string;
  private readonly webUrl: string;
  private readonly timeouts: AdapterTimeouts;

  constructor(private readonly options: LinkedInAdapterOptions) {
    this.base = new URL(options.apiBaseUrl ?? 'https://api.linkedin.com').origin;
    this.version = options.apiVersion ?? LINKEDIN_API_VERSION;
    this.webUrl = (options.webUrl ?? 'https://www.linkedin.com').replace(/\/+$/, '');
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  async verify(_handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
    if (!credentials.accessToken) throw new InvalidInputError('accessToken', 'A LinkedIn channel needs an access token');
    const me = await this.userInfo(credentials);
    const handle = typeof me.name === 'string' ? me.name : typeof me.email === 'string' ? me.email : null;
    return { handle, accountId: String(me.sub), audienceSize: await this.readAudience(handle ?? '', credentials) };
  }

  /**
   * The member's followers from the Member Follower Statistics API, which LinkedIn
   * opens only to apps granted r_member_profileAnalytics: without it, null (the
   * member states the figure, shown as unverified).
   */
  async readAudience(_handle: string, credentials: ChannelCredentials): Promise<number | null> {
    const response = await this.send(credentials, false, 'GET', '/rest/memberFollowersCount?q=me');
    if (response.status === 403) return null;
    this.check(credentials, response, false);
    const elements = (response.json() as { elements?: { memberFollowersCount?: unknown }[] } | undefined)?.elements;
    const count = elements?.[0]?.memberFollowersCount;
    return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
  }

  async publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult> {
    const author = personUrn(await this.userInfo(credentials));
    const body = {
      author,
      commentary: escapeLittleText(request.text),
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      content: { article: { source: request.link, title: request.post.title } },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    };
    const response = await this.call(credentials, true, 'POST', '/rest/posts', JSON.stringify(body));
    const id = response.headers['x-restli-id'] ?? response.headers['x-linkedin-id'];
    if (!id) throw new PublishError('AMBIGUOUS', 'LinkedIn accepted the post without saying its id; it may have gone out');
    return { externalId: id, externalUrl: this.postUrl(id) };
  }

  async findPublished(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult | null> {
    const author = personUrn(await this.userInfo(credentials));
    const path = `/rest/posts?author=${encodeURIComponent(author)}&q=author&count=${RECENT_POSTS}&sortBy=LAST_MODIFIED`;
    const response = await this.send(credentials, false, 'GET', path);
    if (response.status === 403) {
      // Without r_member_social LinkedIn will not say, and "not found" would be a guess.
      throw new PublishError(
        'AMBIGUOUS',
        "LinkedIn does not let Sharepool read the member's posts, so it cannot tell whether the post went out",
      );
    }
    this.check(credentials, response, false);
    const elements = (response.json() as { elements?: PostElement[] } | undefined)?.elements ?? [];
    const found = elements.find((post) => linksTo(post, request.link));
    return found && typeof found.id === 'string' ? { externalId: found.id, externalUrl: this.postUrl(found.id) } : null;
  }

  private async userInfo(credentials: ChannelCredentials): Promise<UserInfo> {
    const response = await this.call(credentials, false, 'GET', '/v2/userinfo');
    const info = response.json() as UserInfo | undefined;
    if (!info || typeof info.sub !== 'string') throw new PublishError('TRANSIENT', 'LinkedIn answered without the member id');
    return info;
  }

  /** One API call; anything but a 2xx becomes a PublishError. */
  private async call(
    credentials: ChannelCredentials,
    mutating: boolean,
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<OutboundResponse> {
    return this.check(credentials, await this.send(credentials, mutating, method, path, body), mutating);
  }

  /** One API call, whatever its status; failures below HTTP become a PublishError. */
  private async send(
    credentials: ChannelCredentials,
    mutating: boolean,
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<OutboundResponse> {
    if (!credentials.accessToken) throw new PublishError('AUTH_EXPIRED', 'The LinkedIn channel has no access token; reconnect it');
    try {
      return await this.options.http.fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${credentials.accessToken}`,
          'linkedin-version': this.version,
          'x-restli-protocol-version': '2.0.0',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
        timeoutMs: mutating ? this.timeouts.publishMs : this.timeouts.readMs,
        maxRedirects: 0,
      });
    } catch (error) {
      throw withoutCredentials(transportFailure('LinkedIn', error, mutating) ?? unexpectedFailure('LinkedIn', mutating), credentials);
    }
  }

  private check(credentials: ChannelCredentials, response: OutboundResponse, mutating: boolean): OutboundResponse {
    if (response.status >= 200 && response.status < 300) return response;
    throw withoutCredentials(statusFailure(response, mutating), credentials);
  }

  /** The post's page, built from its URN (urn:li:share:… or urn:li:ugcPost:…; anything else gets no address). */
  private postUrl(urn: string): string | null {
    if (!/^urn:li:(?:share|ugcPost|activity):\d{1,25}$/.test(urn)) return null;
    return `${this.webUrl}/feed/update/${urn}/`;
  }
}

function statusFailure(response: OutboundResponse, mutating: boolean): PublishError {
  const status = response.status;
  const data = response.json() as { message?: unknown } | undefined;
  const message = clipReason(typeof data?.message === 'string' ? data.message : `HTTP ${status}`);
  if (status === 401) return new PublishError('AUTH_EXPIRED', `LinkedIn no longer accepts the channel's access token: ${message}`);
  // A missing permission (w_member_social) is fixed by connecting again with it.
  if (status === 403) return new PublishError('AUTH_EXPIRED', `LinkedIn refused the channel's permissions: ${message}`);
  if (status === 429) {
    const retryAfterSeconds =
      retryAfterHeader(headerLookup(response.headers)('retry-after')) ?? (/\bDAY\b/.test(message) ? secondsToUtcMidnight() : undefined);
    return new PublishError('TRANSIENT', `LinkedIn asked to slow down: ${message}`, { retryAfterSeconds });
  }
  if (status >= 500 || status === 408) return new PublishError('TRANSIENT', `LinkedIn is unavailable (${status}): ${message}`);
  if (status >= 300 && status < 400) return new PublishError('PERMANENT', `LinkedIn answered with a redirect (${status})`);
  return new PublishError('PERMANENT', `LinkedIn refused the ${mutating ? 'post' : 'request'}: ${message}`);
}

function personUrn(info: UserInfo): string {
  return `urn:li:person:${String(info.sub)}`;
}

/** Daily application limits reset at midnight UTC. */
function secondsToUtcMidnight(now = new Date()): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}

export function escapeLittleText(text: string): string {
  return text.replace(LITTLE_TEXT_RESERVED, (char) => `\\${char}`);
}

function linksTo(post: PostElement, link: string): boolean {
  if (post.content?.article?.source === link) return true;
  return typeof post.commentary === 'string' && post.commentary.includes(escapeLittleText(link));
}
