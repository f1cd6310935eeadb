import { createHmac, randomBytes } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import type { OutboundResponse } from '@sharepool/outbound';
import { httpUrlOrNull } from './external-url.js';
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
  transportFailure,
  unexpectedFailure,
  withoutCredentials,
} from './publish-failures.js';

export interface WebhookAdapterOptions {
  /** The SSRF-guarded client: the URL is the member's. */
  readonly http: GuardedHttp;
  readonly timeouts?: Partial<AdapterTimeouts>;
  readonly now?: () => Date;
}

/** The most of a receiver's answer that is read. */
const MAX_ANSWER_BYTES = 64 * 1024;
const USER_AGENT = 'Sharepool-Webhook/1.0';

/** The JSON body of a delivery. */
export interface WebhookPayload {
  deliveryId: string;
  shareId: string;
  post: { id: string; url: string; title: string };
  /** The share's tracked short link, which `message` carries in place of the post's URL. */
  shortUrl: string;
  message: string;
  sharer: { handle: string };
  postedAt: string;
}

/** The prefix of a signing secret (Standard Webhooks): `whsec_<base64 of the key>`. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, `whsec_` and standard base64, shown to the member once. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC key of a signing secret: the bytes its base64 part encodes. Secrets
 * issued before Standard Webhooks were base64url (`-` and `_`, no padding);
 * Node reads both alphabets, so they keep their key (a receiver's library may
 * need them rewritten in standard base64: README, "Webhooks").
 */
export function webhookKey(signingSecret: string): Buffer {
  const encoded = signingSecret.startsWith(WEBHOOK_SECRET_PREFIX) ? signingSecret.slice(WEBHOOK_SECRET_PREFIX.length) : signingSecret;
  return Buffer.from(encoded, 'base64');
}

/**
 * The `webhook-signature` value of Standard Webhooks:
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`.
 * The id and timestamp are signed with the body, so neither a delivery nor its
 * time can be replayed or changed without the secret.
 */
export function signWebhook(webhookId: string, timestampSeconds: number, rawBody: string, signingSecret: string): string {
  const signed = createHmac('sha256', webhookKey(signingSecret)).update(`${webhookId}.${timestampSeconds}.${rawBody}`).digest('base64');
  return `v1,${signed}`;
}

/**
 * Delivers each share to the member's URL as JSON signed the Standard Webhooks
 * way (standardwebhooks.com). The webhook id is the share id on every attempt, so a receiver that dedupes on it makes a retry
 * after an ambiguous outcome safe. Redirects are not followed: a POST must not
 * turn into a GET, and the URL the member gave is the one that is signed for.
 */
export class WebhookAdapter implements NetworkAdapter {
  readonly network = 'WEBHOOK' as const;
  readonly honoursIdempotencyKey = true;
  private readonly timeouts: AdapterTimeouts;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookAdapterOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.now = options.now ?? (() => new Date());
  }

  /** A webhook cannot be asked anything without delivering: the address and secret are only checked for shape. */
  async verify(handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
    if (!credentials.webhookUrl || !isHttpUrl(credentials.webhookUrl)) {
      throw new InvalidInputError('webhookUrl', 'The webhook URL must be an http or https address');
    }
    if (!credentials.signingSecret) throw new InvalidInputError('signingSecret', 'A webhook channel needs a signing secret');
    return { handle, accountId: null, audienceSize: null };
  }

  /** A webhook has no followers to count: the member states them. */
  async readAudience(): Promise<number | null> {
    return null;
  }

  async publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult> {
    const { webhookUrl, signingSecret } = credentials;
    if (!webhookUrl || !isHttpUrl(webhookUrl)) throw new PublishError('PERMANENT', 'The webhook channel has no valid URL; reconnect it');
    if (!signingSecret) throw new PublishError('AUTH_EXPIRED', 'The webhook channel has no signing secret; reconnect it');
    const now = this.now();
    const payload: WebhookPayload = {
      deliveryId: request.shareId,
      shareId: request.shareId,
      post: { id: request.post.id, url: request.post.url, title: request.post.title },
      shortUrl: request.link,
      message: request.text,
      sharer: { handle: request.sharer.handle },
      postedAt: now.toISOString(),
    };
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(now.getTime() / 1000);
    let response: OutboundResponse;
    try {
      response = await this.options.http.fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          // Standard Webhooks: the id is the share's, the same on every retry, for the receiver to dedupe on.
          'webhook-id': request.shareId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(request.shareId, timestamp, body, signingSecret),
        },
        body,
        timeoutMs: this.timeouts.publishMs,
        maxRedirects: 0,
        maxBytes: MAX_ANSWER_BYTES,
      });
    } catch (error) {
      throw withoutCredentials(transportFailure('The webhook', error, true) ?? unexpectedFailure('The webhook', true), credentials);
    }
    if (response.status >= 200 && response.status < 300) {
      return { externalId: request.shareId, externalUrl: answeredUrl(response) };
    }
    throw withoutCredentials(statusFailure(response), credentials);
  }

  /**
   * A webhook cannot be asked what it received; the receiver dedupes on the
   * delivery id instead, so after an ambiguous outcome the answer is "deliver
   * again with the same id" (null).
   */
  async findPublished(): Promise<PublishResult | null> {
    return null;
  }
}

function statusFailure(response: OutboundResponse): PublishError {
  const status = response.status;
  if (status >= 300 && status < 400) {
    return new PublishError('PERMANENT', `The webhook answered with a redirect (${status}); give the channel the final URL`);
  }
  const detail = answeredDetail(response);
  const text = `The webhook answered ${status}${detail ? `: ${detail}` : ''}`;
  // 408, 429 and 5xx are worth another try; any other 4xx is the receiver's final word (401 too: it is
  // the member's own code answering, not an account that could be reconnected).
  if (kindOfStatus(status) === 'TRANSIENT') {
    return new PublishError('TRANSIENT', text, { retryAfterSeconds: retryAfterHeader(headerLookup(response.headers)('retry-after')) });
  }
  return new PublishError('PERMANENT', text);
}

/** A JSON `url` in the answer, when it is an http(s) address. */
function answeredUrl(response: OutboundResponse): string | null {
  return httpUrlOrNull((response.json() as { url?: unknown } | undefined)?.url);
}

/** The receiver's own `error` or `message`, if it gave one in JSON. */
function answeredDetail(response: OutboundResponse): string | undefined {
  const data = response.json() as { error?: unknown; message?: unknown } | undefined;
  const detail = typeof data?.error === 'string' ? data.error : typeof data?.message === 'string' ? data.message : undefined;
  return detail ? clipReason(detail).slice(0, 200) : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
