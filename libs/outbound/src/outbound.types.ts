import type { LookupAddress } from 'node:dns';

/**
 * The one way Sharepool calls a URL a member gave it (page previews, webhooks,
 * channel APIs). Every address a host resolves to is checked before connecting,
 * on the first request and on every redirect.
 */
export interface OutboundRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Whole-request deadline, default 5000 ms. */
  readonly timeoutMs?: number;
  /** Bytes of body read at most, default 1 MB; more is OutboundTooLargeError. */
  readonly maxBytes?: number;
  /** Redirects followed (each re-checked), default 3; 0 returns the 3xx as is. */
  readonly maxRedirects?: number;
  /** 'html': refuse anything but text/html or application/xhtml+xml (OutboundContentTypeError). */
  readonly accept?: 'html' | 'any';
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly body: Buffer;
  text(): string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json(): unknown;
}

/** Resolves a host name to addresses (node:dns lookup with `all: true`); tests inject their own. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundHttpOptions {
  /** OUTBOUND_ALLOW_PRIVATE: lifts the address rule, for local development and tests. */
  readonly allowPrivate: boolean;
  readonly resolve?: HostResolver;
  /**
   * Tests only: where the socket really goes once `address` passed the rule, so a
   * test resolver can map `page.example` to a public address and still reach a
   * page server on 127.0.0.1 (the real rule runs with allowPrivate false).
   */
  readonly connectTo?: (address: string, port: number) => { host: string; port: number };
}
