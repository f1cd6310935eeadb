import type { OutboundRequest, OutboundResponse } from '@sharepool/outbound';

/** The social networks a member can connect a channel to. */
export const NETWORKS = ['WEBHOOK', 'MASTODON', 'BLUESKY', 'X', 'LINKEDIN'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * What a channel needs to post, decrypted only for the call (see CredentialCipher).
 * WEBHOOK: webhookUrl + signingSecret; MASTODON: instanceUrl + accessToken;
 * BLUESKY: appPassword (+ instanceUrl, the PDS, default https://bsky.social);
 * X, LINKEDIN: accessToken (+ refreshToken when the network granted one through OAuth).
 */
export interface ChannelCredentials {
  webhookUrl?: string;
  signingSecret?: string;
  instanceUrl?: string;
  accessToken?: string;
  refreshToken?: string;
  appPassword?: string;
}

export interface PublishRequest {
  /** The full text to post, link included (message-rules: composePostText). */
  text: string;
  /** The link the text carries: the share's short link (PUBLIC_URL/s/<code>), which leads to the post and counts visits. */
  link: string;
  /** The share id: the same on every retry of one share. */
  idempotencyKey: string;
  /** The channel's handle on the network (Bluesky logs in with it; the handle verify() returned). */
  channelHandle: string;
  shareId: string;
  post: { id: string; url: string; title: string };
  sharer: { handle: string };
}

export interface PublishResult {
  /** The network's id of the post (Bluesky: its at:// URI; webhook: the delivery id). */
  externalId: string;
  /** Where a person can see it, when the network has such an address. */
  externalUrl: string | null;
}

export interface VerifiedAccount {
  handle: string | null;
  /** The network's own id of the account, stable when the handle changes (Mastodon: `<instance origin>#<id>`). */
  accountId: string | null;
  /** Followers as the network counts them; null when it does not say (webhooks, LinkedIn without the permission). */
  audienceSize: number | null;
}

/**
 * One social network behind one small contract. Every method fails only with a
 * PublishError (or, for missing credentials in `verify`, an InvalidInputError),
 * so the caller decides from `kind` alone: retry later, give up, ask the member
 * to reconnect, or find out whether the post went out before trying again.
 */
export interface NetworkAdapter {
  readonly network: Network;
  /** Whether a retry with the same idempotency key is safe after an AMBIGUOUS outcome (Mastodon, webhook). */
  readonly honoursIdempotencyKey: boolean;
  /** Checks credentials with the network where it allows; AUTH_EXPIRED PublishError (or a clear validation error) when they are wrong. */
  verify(handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount>;
  /** The account's followers as the network counts them now (null: it does not say); for the daily re-read. */
  readAudience(handle: string, credentials: ChannelCredentials): Promise<number | null>;
  publish(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult>;
  /**
   * After an AMBIGUOUS outcome: the post if it is already on the account, else null.
   * Throws a PublishError when the network cannot be asked (then "not found" is unknown).
   */
  findPublished(credentials: ChannelCredentials, request: PublishRequest): Promise<PublishResult | null>;
}

/**
 * - PERMANENT: the network refused this post (bad request, content refused); retrying will not help.
 * - TRANSIENT: try again later (5xx, 429, connection refused); nothing was posted.
 * - AUTH_EXPIRED: the credentials no longer work; the channel needs the member to reconnect.
 * - AMBIGUOUS: the request went out and no answer came back; it may have been posted.
 */
export type PublishFailureKind = 'PERMANENT' | 'TRANSIENT' | 'AUTH_EXPIRED' | 'AMBIGUOUS';

/**
 * How a network call failed. `reason` is written for the member
 * ("Mastodon refused the post: Validation failed: Text character limit of 500 exceeded")
 * and never holds a token, a password or a stack; the error carries no `cause`
 * because client errors keep the request, and with it the Authorization header.
 */
export class PublishError extends Error {
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: PublishFailureKind,
    readonly reason: string,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(reason);
    this.name = 'PublishError';
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Deadlines of adapter calls in milliseconds. */
export interface AdapterTimeouts {
  /** The call that creates the post. */
  readonly publishMs: number;
  /** Every other call (verify, look-ups, sessions). */
  readonly readMs: number;
}

export const DEFAULT_TIMEOUTS: AdapterTimeouts = { publishMs: 15_000, readMs: 10_000 };

/** What the adapters need of the SSRF-guarded OutboundHttp (libs/outbound): member-given URLs only go through it. */
export interface GuardedHttp {
  fetch(url: string, request?: OutboundRequest): Promise<OutboundResponse>;
  fetchFunction(): typeof fetch;
}
