import { Agent, type Dispatcher, fetch as undiciFetch, Request as UndiciRequest } from 'undici';
import { createGuardedConnector } from './guarded-connector.js';
import {
  OutboundContentTypeError,
  OutboundError,
  OutboundInvalidUrlError,
  OutboundNetworkError,
  OutboundTimeoutError,
  OutboundTooLargeError,
  OutboundTooManyRedirectsError,
} from './outbound.errors.js';
import { BufferedOutboundResponse, flattenHeaders, mediaTypeOf } from './outbound-response.js';
import type { OutboundHttpOptions, OutboundRequest, OutboundResponse } from './outbound.types.js';

export const OUTBOUND_DEFAULT_TIMEOUT_MS = 5_000;
export const OUTBOUND_DEFAULT_MAX_BYTES = 1024 * 1024;
export const OUTBOUND_DEFAULT_MAX_REDIRECTS = 3;

const USER_AGENT = 'Sharepool/1.0 (link preview and delivery)';
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that only the original site may receive: dropped when a redirect leaves its origin. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

type Method = NonNullable<OutboundRequest['method']>;

interface Hop {
  readonly method: Method;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer | undefined;
}

interface Limits {
  readonly maxBytes: number;
  readonly accept: 'html' | 'any';
  readonly followRedirects: boolean;
}

/**
 * The one way Sharepool calls a URL that a member gave it. Every connection,
 * the first and each redirect's, goes through the address rule (see
 * address-policy.ts) to an address checked just before connecting.
 */
export class OutboundHttp {
  private shared: Agent | undefined;

  constructor(private readonly options: OutboundHttpOptions) {}

  async fetch(url: string, request: OutboundRequest = {}): Promise<OutboundResponse> {
    const timeoutMs = request.timeoutMs ?? OUTBOUND_DEFAULT_TIMEOUT_MS;
    const maxRedirects = request.maxRedirects ?? OUTBOUND_DEFAULT_MAX_REDIRECTS;
    const limits: Limits = {
      maxBytes: request.maxBytes ?? OUTBOUND_DEFAULT_MAX_BYTES,
      accept: request.accept ?? 'any',
      followRedirects: maxRedirects > 0,
    };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    // Pooled connections (kept alive between calls to one origin): each was opened to an address the rule allowed.
    const agent = this.sharedAgent();
    try {
      let target = parseOutboundUrl(url, 'The address must be an http or https URL');
      let hop: Hop = { method: request.method ?? 'GET', headers: requestHeaders(request), body: request.body };
      for (let redirects = 0; ; redirects++) {
        const response = await exchange(agent, target, hop, limits, deadline.signal, timeoutMs);
        const location = limits.followRedirects && REDIRECT_STATUSES.has(response.status) ? response.headers.location : undefined;
        if (location === undefined) return response;
        if (redirects === maxRedirects) throw new OutboundTooManyRedirectsError(maxRedirects);
        const next = parseOutboundUrl(resolveLocation(location, target), 'The site redirected to an address that is not http or https');
        hop = redirectedHop(hop, response.status, target, next);
        target = next;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A WHATWG fetch for third-party clients that accept one: the same address
   * rule on every connection (redirects included), undici's own fetch and
   * pooling; timeouts and sizes are the caller's (pass a `signal`).
   */
  fetchFunction(): typeof fetch {
    const dispatcher = this.sharedAgent();
    const guardedFetch = async (input: unknown, init?: Record<string, unknown>) => {
      const request = await asUndiciInput(input);
      const href = request instanceof UndiciRequest ? request.url : String(request);
      try {
        parseOutboundUrl(href, 'The address must be an http or https URL');
      } catch (error) {
        // What fetch does with a URL it cannot fetch: a TypeError with the reason as cause.
        throw new TypeError('fetch failed', { cause: error });
      }
      return undiciFetch(request, { ...init, dispatcher } as Parameters<typeof undiciFetch>[1]);
    };
    return guardedFetch as unknown as typeof fetch;
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    const shared = this.shared;
    this.shared = undefined;
    await shared?.destroy();
  }

  private sharedAgent(): Agent {
    this.shared ??= new Agent({ connect: createGuardedConnector(this.options) });
    return this.shared;
  }
}

/** An absolute http(s) URL without user:password, or OutboundInvalidUrlError. */
function parseOutboundUrl(input: string, message: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundInvalidUrlError(message);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundInvalidUrlError(message);
  if (url.username || url.password) throw new OutboundInvalidUrlError('The address must not contain a user name or password');
  if (!url.hostname) throw new OutboundInvalidUrlError(message);
  return url;
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function requestHeaders(request: OutboundRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: request.accept === 'html' ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' : '*/*',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  // Bodies are never compressed, so maxBytes counts what is kept and no small answer can inflate.
  headers['accept-encoding'] = 'identity';
  return headers;
}

/** The next request after a redirect, as browsers do it: 303 (and 301/302 after POST) become GET without a body. */
function redirectedHop(hop: Hop, status: number, from: URL, to: URL): Hop {
  const headers = { ...hop.headers };
  if (from.origin !== to.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
  const becomesGet = status === 303 ? hop.method !== 'GET' : (status === 301 || status === 302) && hop.method === 'POST';
  if (!becomesGet) return { ...hop, headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { method: 'GET', headers, body: undefined };
}

/**
 * One request and its answer, read into memory under the byte limit. A redirect
 * that will be followed resolves as soon as its headers arrive (its body is
 * never read). Rejects with an OutboundError only.
 */
function exchange(agent: Agent, url: URL, hop: Hop, limits: Limits, deadline: AbortSignal, timeoutMs: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let requestSent = false;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let received = 0;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onDeadline);
      outcome();
    };
    const fail = (error: Error) => {
      finish(() => reject(error));
      if (controller && !controller.aborted) controller.abort(error);
    };
    const onDeadline = () => fail(new OutboundTimeoutError(requestSent, timeoutMs));
    if (deadline.aborted) return onDeadline();
    deadline.addEventListener('abort', onDeadline, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // undici calls this right before it writes the request (a string or Buffer body in the same tick).
        requestSent = true;
        if (settled) c.abort(new Error('settled'));
      },
      onResponseStart(c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational (100 Continue): the real answer follows
        status = statusCode;
        headers = flattenHeaders(responseHeaders);
        if (limits.followRedirects && REDIRECT_STATUSES.has(statusCode) && headers.location !== undefined) {
          finish(() => resolve(new BufferedOutboundResponse(status, headers, url.href, Buffer.alloc(0))));
          c.abort(new Error('redirect followed'));
          return;
        }
        if (limits.accept === 'html' && statusCode < 300 && !HTML_TYPES.has(mediaTypeOf(headers['content-type']) ?? '')) {
          return fail(new OutboundContentTypeError(headers['content-type'] ?? null));
        }
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > limits.maxBytes) fail(new OutboundTooLargeError(limits.maxBytes));
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        received += chunk.length;
        if (received > limits.maxBytes) return fail(new OutboundTooLargeError(limits.maxBytes));
        chunks.push(chunk);
      },
      onResponseEnd() {
        finish(() => resolve(new BufferedOutboundResponse(status, headers, url.href, Buffer.concat(chunks, received))));
      },
      onResponseError(_c, error) {
        fail(asOutboundError(error, url.hostname, requestSent));
      },
    };

    agent.dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: hop.method, headers: hop.headers, body: hop.body ?? null },
      handler,
    );
  });
}

function asOutboundError(error: Error & { code?: string }, hostname: string, requestSent: boolean): Error {
  if (error instanceof OutboundError) return error;
  // A request undici refuses to build (a bad header name…) is the caller's bug, not the site's.
  if (error.code === 'UND_ERR_INVALID_ARG') return error;
  if (!requestSent) return new OutboundNetworkError(false, `Could not connect to ${hostname}`, { cause: error });
  if (error.code?.startsWith('HPE_'))
    return new OutboundNetworkError(true, `${hostname} sent an answer that is not valid HTTP`, { cause: error });
  return new OutboundNetworkError(true, `The connection to ${hostname} was lost before it answered`, { cause: error });
}

/** undici's fetch takes its own Request class only: another Request (Node's global one) is copied. */
async function asUndiciInput(input: unknown): Promise<string | URL | UndiciRequest> {
  if (typeof input === 'string' || input instanceof URL || input instanceof UndiciRequest) return input;
  if (input instanceof Request) {
    const hasBody = input.method !== 'GET' && input.method !== 'HEAD' && input.body !== null;
    return new UndiciRequest(input.url, {
      method: input.method,
      headers: [...input.headers],
      body: hasBody ? await input.arrayBuffer() : undefined,
      signal: input.signal,
      redirect: input.redirect,
    });
  }
  return String(input);
}
