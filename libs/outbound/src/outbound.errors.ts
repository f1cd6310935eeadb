import type { AddressRange } from './address-policy.js';

/**
 * Why an outbound call failed. Messages are written for the member who gave the
 * URL: they name the host they typed, never a resolved address or a stack. The
 * facts for logs sit in properties (and `cause`).
 */
export abstract class OutboundError extends Error {
  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Not an absolute http(s) URL, or one with a user:password part. */
export class OutboundInvalidUrlError extends OutboundError {
  constructor(message = 'The address must be an http or https URL') {
    super(message);
  }
}

/** The host is, or resolves to, an address Sharepool does not call (private, loopback, metadata…). */
export class OutboundAddressRefusedError extends OutboundError {
  constructor(
    readonly hostname: string,
    /** For logs only: the range of the refused address. */
    readonly range: AddressRange,
  ) {
    super(`Sharepool does not connect to ${hostname}: it is not a public internet address`);
  }
}

/** The whole-request deadline passed. */
export class OutboundTimeoutError extends OutboundError {
  constructor(
    /** True when the request had been written to the connection: the site may have acted on it. */
    readonly afterRequestSent: boolean,
    readonly timeoutMs: number,
  ) {
    super(`The site did not answer within ${formatSeconds(timeoutMs)}`);
  }
}

/** DNS failure, connection refused or reset, TLS failure, malformed answer. */
export class OutboundNetworkError extends OutboundError {
  constructor(
    /** True when the request had been written to the connection: the site may have acted on it. */
    readonly requestSent: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The answer's body is larger than the request's `maxBytes`. */
export class OutboundTooLargeError extends OutboundError {
  constructor(readonly maxBytes: number) {
    super(`The page is larger than ${formatBytes(maxBytes)}`);
  }
}

/** `accept: 'html'` and the site answered with something else. */
export class OutboundContentTypeError extends OutboundError {
  constructor(readonly contentType: string | null) {
    // Only a well-formed media type is echoed: the header is whatever the site sent.
    const mediaType = contentType?.match(/^\s*([\w.+-]{1,60}\/[\w.+-]{1,60})/)?.[1]?.toLowerCase();
    super(mediaType ? `The address is not a web page (it returned ${mediaType})` : 'The address is not a web page');
  }
}

/** The site redirected more often than the request's `maxRedirects`. */
export class OutboundTooManyRedirectsError extends OutboundError {
  constructor(readonly maxRedirects: number) {
    super(`The site redirected more than ${maxRedirects} time${maxRedirects === 1 ? '' : 's'}`);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} second${seconds === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
