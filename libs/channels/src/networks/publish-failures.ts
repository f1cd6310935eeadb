import {
  OutboundAddressRefusedError,
  OutboundError,
  OutboundInvalidUrlError,
  OutboundNetworkError,
  OutboundTimeoutError,
  OutboundTooLargeError,
  OutboundTooManyRedirectsError,
} from '@sharepool/outbound';
import { type ChannelCredentials, PublishError } from './network-adapter.js';

/** Longest failure reason kept: it is stored on the share and shown to the member. */
const MAX_REASON_LENGTH = 300;
/** Longest wait a network can ask for before the worker retries anyway. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/** Reads one response header, whatever the client's header type. */
export type HeaderLookup = (name: string) => string | undefined;

export function headerLookup(headers: Headers | Readonly<Record<string, string | string[] | undefined>> | undefined): HeaderLookup {
  if (!headers) return () => undefined;
  if (typeof (headers as Headers).get === 'function') return (name) => (headers as Headers).get(name) ?? undefined;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
  return (name) => lower.get(name.toLowerCase()) ?? undefined;
}

/** `Retry-After` as delta-seconds or an HTTP date. */
export function retryAfterHeader(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return boundSeconds(Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : boundSeconds((at - now) / 1000);
}

/** A reset given as unix seconds (X `x-rate-limit-reset`, Bluesky `ratelimit-reset`). */
export function secondsUntilEpoch(value: string | undefined, now = Date.now()): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return boundSeconds(Number(value) - now / 1000);
}

/** A reset given as a date (Mastodon `X-RateLimit-Reset`, ISO 8601). */
export function secondsUntilDate(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : boundSeconds((at - now) / 1000);
}

function boundSeconds(seconds: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** Trims a network's own words to one short line for the member. */
export function clipReason(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}

/**
 * Takes every credential out of a text before it leaves the adapter: networks
 * sometimes echo what they were sent, and a reason ends up on the share.
 */
export function redactCredentials(text: string, credentials: ChannelCredentials): string {
  let out = text;
  for (const secret of [credentials.accessToken, credentials.refreshToken, credentials.appPassword, credentials.signingSecret]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  if (credentials.webhookUrl) {
    // A webhook URL often carries its own secret in the path or query: show the origin only.
    let origin = '[webhook]';
    try {
      origin = new URL(credentials.webhookUrl).origin;
    } catch {
      // keep the placeholder
    }
    out = out.split(credentials.webhookUrl).join(origin);
  }
  return out;
}

/** The same error with every credential taken out of its reason. */
export function withoutCredentials(error: unknown, credentials: ChannelCredentials): unknown {
  if (!(error instanceof PublishError)) return error;
  const reason = redactCredentials(error.reason, credentials);
  if (reason === error.reason) return error;
  return new PublishError(error.kind, reason, { retryAfterSeconds: error.retryAfterSeconds });
}

/**
 * Runs a network call, turning whatever it throws into a PublishError (with
 * `classify`, the network's own reading of its errors) that names no credential.
 */
export async function guardedCall<T>(
  credentials: ChannelCredentials,
  classify: (error: unknown) => PublishError,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw withoutCredentials(classify(error), credentials);
  }
}

/** The usual meaning of an HTTP status for a post: which kind of failure it is. */
export function kindOfStatus(status: number): PublishError['kind'] {
  if (status === 401) return 'AUTH_EXPIRED';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'TRANSIENT';
  return 'PERMANENT';
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError']);

/**
 * A failure below HTTP (no answer, refused address, connection trouble) as a
 * PublishError, or undefined when `error` is not one. `mutating` says whether
 * the call creates something: only then is "no answer" AMBIGUOUS rather than TRANSIENT.
 */
export function transportFailure(label: string, error: unknown, mutating: boolean): PublishError | undefined {
  const ambiguous = `${label} did not answer in time; the post may have gone out`;
  for (const cause of causeChain(error)) {
    if (cause instanceof OutboundError) return outboundFailure(label, cause, mutating);
    const name = (cause as { name?: unknown }).name;
    if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) {
      return mutating ? new PublishError('AMBIGUOUS', ambiguous) : new PublishError('TRANSIENT', `${label} did not answer in time`);
    }
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) {
      if (NOT_SENT_CODES.has(code) || !mutating) return new PublishError('TRANSIENT', `Could not reach ${label} (${code})`);
      return new PublishError('AMBIGUOUS', `The connection to ${label} broke (${code}); the post may have gone out`);
    }
  }
  return undefined;
}

function outboundFailure(label: string, error: OutboundError, mutating: boolean): PublishError {
  if (error instanceof OutboundTimeoutError) {
    if (error.afterRequestSent && mutating)
      return new PublishError('AMBIGUOUS', `${label} did not answer in time; the post may have gone out`);
    return new PublishError('TRANSIENT', `${label} did not answer in time`);
  }
  if (error instanceof OutboundNetworkError) {
    if (error.requestSent && mutating) {
      return new PublishError('AMBIGUOUS', `The connection to ${label} broke: ${error.message}; the post may have gone out`);
    }
    return new PublishError('TRANSIENT', `Could not reach ${label}: ${error.message}`);
  }
  if (error instanceof OutboundTooLargeError) {
    return mutating
      ? new PublishError('AMBIGUOUS', `${label} answered with more data than expected; the post may have gone out`)
      : new PublishError('TRANSIENT', `${label} answered with more data than expected`);
  }
  if (error instanceof OutboundAddressRefusedError || error instanceof OutboundInvalidUrlError) {
    return new PublishError('PERMANENT', clipReason(error.message));
  }
  if (error instanceof OutboundTooManyRedirectsError) return new PublishError('PERMANENT', `${label}: ${error.message}`);
  return new PublishError('PERMANENT', clipReason(`${label}: ${error.message}`));
}

function* causeChain(error: unknown): Generator<object> {
  const seen = new Set<unknown>();
  let current = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** A failure none of the mappings knew: kept vague, never the raw error. */
export function unexpectedFailure(label: string, mutating: boolean): PublishError {
  return mutating
    ? new PublishError('AMBIGUOUS', `${label} failed in an unexpected way; the post may have gone out`)
    : new PublishError('TRANSIENT', `${label} failed in an unexpected way`);
}
