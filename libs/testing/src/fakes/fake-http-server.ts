import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as a fake's handler sees it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Named groups of the route's path pattern. */
  readonly params: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
  /** The body parsed as JSON (or as a form when sent as one), undefined when it is neither. */
  json(): unknown;
}

/** An answer: an object body is sent as JSON, a string as is. */
export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A scripted misbehaviour for the next request(s) of a route.
 * - reply: answer this instead of what the network would do (nothing is made);
 *   with `when`, the answer waits until that promise settles.
 * - hang: read the whole body and never answer; 'after' first lets the network act
 *   (the post is made), which is what an ambiguous timeout looks like from outside.
 * - drop: read the body and close the connection without an answer ('after': once acted).
 * - stall: act, send the status, headers and the first bytes of the answer, and never the rest.
 * - hold: answer as the network would, once that promise settles (a call in flight, for races).
 */
export type FakeFault =
  | { readonly reply: FakeReply; readonly when?: Promise<unknown> }
  | { readonly hang: 'before' | 'after' }
  | { readonly drop: 'before' | 'after' }
  | { readonly stall: 'body' }
  | { readonly hold: Promise<unknown> }
  | { readonly delayMs: number };

export interface FakeRoute {
  readonly name: string;
  readonly method: string;
  readonly path: RegExp;
  handle(request: FakeRequest): FakeReply | Promise<FakeReply>;
}

export interface RecordedRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeHttpServerOptions {
  /** Answer for a request no route matches. */
  readonly notFound?: (request: FakeRequest) => FakeReply;
  /** Keep every request in `requests` (off for load tests). Default true. */
  readonly record?: boolean;
  readonly maxBodyBytes?: number;
  /** Consulted when no scripted fault is queued: random misbehaviour for chaos tests. */
  readonly pickFault?: (route: string, request: FakeRequest) => FakeFault | undefined;
}

/**
 * The HTTP machinery under every network fake: routes, scripted faults per
 * route, a log of requests, and a close() that also ends hanging connections.
 * Listens on 127.0.0.1 only.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly faults = new Map<string, FakeFault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.serve(req, res));
  private port = 0;

  private constructor(
    private readonly routes: readonly FakeRoute[],
    private readonly options: FakeHttpServerOptions,
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Fakes answer hundreds of requests a second from a pool of kept-alive sockets.
    this.server.keepAliveTimeout = 30_000;
  }

  static async start(routes: readonly FakeRoute[], options: FakeHttpServerOptions = {}, port = 0): Promise<FakeHttpServer> {
    const fake = new FakeHttpServer(routes, options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(port, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Scripts `fault` for the next `times` requests of route `route` ('*': any route). */
  fault(route: string, fault: FakeFault, times = 1): void {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(route, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The recorded requests of one route. */
  requestsOf(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Requests being answered now, and the most at once since the last resetConcurrency(). */
  private inFlight = 0;
  private mostInFlight = 0;

  /** The most requests that were being answered at once. */
  maxInFlight(): number {
    return this.mostInFlight;
  }

  resetConcurrency(): void {
    this.mostInFlight = this.inFlight;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    try {
      await this.answer(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxBodyBytes ?? 1_048_576);
    } catch {
      send(res, { status: 413, body: { error: 'Payload too large' } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    let route: FakeRoute | undefined;
    let params: Record<string, string> = {};
    for (const candidate of this.routes) {
      if (candidate.method !== method) continue;
      const match = candidate.path.exec(url.pathname);
      if (match) {
        route = candidate;
        params = { ...match.groups };
        break;
      }
    }
    const request = makeRequest(method, url, req.headers, body, params);
    if (this.options.record !== false) {
      this.requests.push({ route: route?.name ?? '', method, path: url.pathname, headers: req.headers, body: body.toString('utf8') });
    }
    if (!route) {
      send(res, this.options.notFound?.(request) ?? { status: 404, body: { error: 'Not found' } });
      return;
    }
    const fault = this.takeFault(route.name) ?? this.options.pickFault?.(route.name, request);
    try {
      if (fault && 'reply' in fault) {
        await fault.when?.catch(() => undefined);
        return send(res, fault.reply);
      }
      if (fault && 'hang' in fault) {
        if (fault.hang === 'after') await route.handle(request);
        return; // never answered; close() ends the connection
      }
      if (fault && 'drop' in fault) {
        if (fault.drop === 'after') await route.handle(request);
        req.socket.destroy();
        return;
      }
      if (fault && 'stall' in fault) {
        const reply = await route.handle(request);
        res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': '100000', ...reply.headers });
        res.write(JSON.stringify(reply.body ?? {}).slice(0, 10));
        return; // the rest never comes; close() ends the connection
      }
      if (fault && 'hold' in fault) await fault.hold.catch(() => undefined);
      if (fault && 'delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      send(res, await route.handle(request));
    } catch (error) {
      send(res, { status: 500, body: { error: error instanceof Error ? error.message : 'Internal Server Error' } });
    }
  }

  private takeFault(route: string): FakeFault | undefined {
    for (const key of [route, '*']) {
      const queue = this.faults.get(key);
      if (queue?.length) return queue.shift();
    }
    return undefined;
  }
}

function makeRequest(method: string, url: URL, headers: IncomingHttpHeaders, body: Buffer, params: Record<string, string>): FakeRequest {
  const header = (name: string) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body,
    params,
    header,
    json() {
      const type = header('content-type') ?? '';
      const text = body.toString('utf8');
      if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let payload: string | Buffer | undefined;
  if (reply.body === undefined) {
    payload = undefined;
  } else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    payload = reply.body;
    if (!hasType) headers['content-type'] = 'text/html; charset=utf-8';
  } else {
    payload = JSON.stringify(reply.body);
    if (!hasType) headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** A path pattern from a template like `/api/v1/accounts/:id/statuses`. */
export function routePath(template: string): RegExp {
  const source = template
    .split('/')
    .map((part) => (part.startsWith(':') ? `(?<${part.slice(1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The bearer token of a request, if any. */
export function bearerToken(request: FakeRequest): string | undefined {
  const value = request.header('authorization');
  const match = value ? /^Bearer\s+(.+)$/i.exec(value) : null;
  return match?.[1]?.trim();
}

/**
 * What every fake social network offers a test: its address, the requests it
 * saw, scripted faults per route, and a post that is made but never answered.
 * Each fake adds its own records and its network's rate-limit and error shapes.
 */
export interface NetworkFake<Route extends string> {
  /** The base URL the adapter is pointed at. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Scripts the next `times` requests of `route`. */
  fail(route: Route, fault: FakeFault, times?: number): void;
  /** Answers the network's own server error. */
  serverErrorNext(route: Route): void;
  /** Creates the post, then never answers (an ambiguous timeout for the client). */
  hangAfterPostingNext(): void;
  close(): Promise<void>;
}
