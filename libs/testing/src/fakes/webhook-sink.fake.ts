import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { type FakeFault, FakeHttpServer, type FakeReply, type FakeRequest, routePath, type RecordedRequest } from './fake-http-server.js';

/** One delivery the sink accepted (the first of its delivery id). */
export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly path: string;
  readonly timestamp: number;
  readonly body: {
    deliveryId: string;
    shareId: string;
    post: { id: string; url: string; title: string };
    shortUrl: string;
    message: string;
    sharer: { handle: string };
    postedAt: string;
  };
  readonly receivedAt: number;
}

export interface WebhookSinkStats {
  /** Signed requests that reached the receiver, duplicates included. */
  readonly received: number;
  /** Distinct delivery ids accepted. */
  readonly accepted: number;
  /** Requests that repeated an accepted delivery id (answered as before, not processed again). */
  readonly duplicates: number;
  /** Requests refused: missing headers, bad signature, stale timestamp, malformed body. */
  readonly rejected: number;
  /** How many times each delivery id reached the receiver. */
  readonly timesReceived: Readonly<Record<string, number>>;
  /** The most requests the receiver was answering at once (since the last reset). */
  readonly maxInFlight: number;
}

/** Random misbehaviour, each a probability between 0 and 1, checked in this order. */
export interface WebhookSinkChaos {
  /** Answer 503 without processing. */
  readonly errorRate?: number;
  /** Process the delivery, then never answer (the sender sees a timeout: ambiguous). */
  readonly hangAfterAcceptRate?: number;
  /** Process the delivery, then close the connection without an answer. */
  readonly dropAfterAcceptRate?: number;
}

export interface WebhookSinkOptions {
  /** Signing secrets whose signatures are accepted (more with acceptSecret). */
  readonly secrets?: readonly string[];
  /** Refuse timestamps further than this from now. Default 300 s. */
  readonly toleranceSeconds?: number;
  /** Keep every raw request in `requests` (off for load). Default true. */
  readonly record?: boolean;
  readonly chaos?: WebhookSinkChaos;
  readonly port?: number;
}

export interface WebhookSinkFake {
  readonly url: string;
  /** A receiving URL on the sink (any path under /hooks/ receives). */
  hookUrl(name?: string): string;
  /** Accepted deliveries, in arrival order, one per delivery id. */
  readonly deliveries: readonly WebhookDelivery[];
  readonly requests: readonly RecordedRequest[];
  timesReceived(deliveryId: string): number;
  stats(): WebhookSinkStats;
  acceptSecret(secret: string): void;
  /** Scripts the next `times` deliveries. */
  fail(fault: FakeFault, times?: number): void;
  /**
   * Answers `status` (with headers such as Retry-After) without processing;
   * with `when`, holds that answer until the promise settles.
   */
  failNextWith(status: number, headers?: Record<string, string>, when?: Promise<unknown>): void;
  /** Processes the next delivery, then never answers. */
  hangAfterAcceptingNext(): void;
  setChaos(chaos: WebhookSinkChaos): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A webhook receiver as a member would write one: checks the Standard Webhooks
 * signature (with the `standardwebhooks` package) and the timestamp (5 minutes), processes each delivery id once (a repeat gets the
 * same answer) and counts every id it saw. It also answers a small control API
 * under /_sink/ so a test in another process can read and steer it
 * (see webhook-sink.main.ts and connectWebhookSink).
 */
export async function startWebhookSink(options: WebhookSinkOptions = {}): Promise<WebhookSinkFake> {
  const secrets = new Set(options.secrets ?? []);
  // Which secret signed for each hook URL last: a receiver knows its own endpoint's secret.
  const secretOfPath = new Map<string, string>();
  const tolerance = options.toleranceSeconds ?? 300;
  let chaos: WebhookSinkChaos = options.chaos ?? {};
  let deliveries: WebhookDelivery[] = [];
  let byId = new Map<string, WebhookDelivery>();
  let received = new Map<string, number>();
  let counters = { received: 0, duplicates: 0, rejected: 0 };
  let base = '';

  const reject = (status: number, error: string): FakeReply => {
    counters.rejected++;
    return { status, body: { error } };
  };
  const answer = (delivery: WebhookDelivery): FakeReply => ({
    status: 200,
    body: { ok: true, url: `${base}/deliveries/${encodeURIComponent(delivery.deliveryId)}` },
  });

  const receive = (request: FakeRequest): FakeReply => {
    const deliveryId = request.header('webhook-id');
    const timestamp = Number(request.header('webhook-timestamp'));
    const signature = request.header('webhook-signature');
    if (!deliveryId || !signature || !Number.isInteger(timestamp))
      return reject(400, 'missing webhook-id, webhook-timestamp or webhook-signature');
    const raw = request.body.toString('utf8');
    const known = secretOfPath.get(request.path);
    const secret =
      known && signedWith(known, deliveryId, timestamp, raw, signature)
        ? known
        : signingSecret(secrets, deliveryId, timestamp, raw, signature);
    if (!secret) return reject(401, 'invalid signature');
    secretOfPath.set(request.path, secret);
    if (Math.abs(Date.now() / 1000 - timestamp) > tolerance) return reject(400, 'stale timestamp');
    const body = request.json() as WebhookDelivery['body'] | undefined;
    if (!body || body.deliveryId !== deliveryId) return reject(400, 'body does not match webhook-id');
    counters.received++;
    received.set(deliveryId, (received.get(deliveryId) ?? 0) + 1);
    const earlier = byId.get(deliveryId);
    if (earlier) {
      counters.duplicates++;
      return answer(earlier);
    }
    const delivery = { deliveryId, path: request.path, timestamp, body, receivedAt: Date.now() };
    byId.set(deliveryId, delivery);
    deliveries.push(delivery);
    return answer(delivery);
  };

  const stats = (): WebhookSinkStats => ({
    received: counters.received,
    accepted: deliveries.length,
    duplicates: counters.duplicates,
    rejected: counters.rejected,
    timesReceived: Object.fromEntries(received),
    maxInFlight: server.maxInFlight(),
  });

  const reset = () => {
    deliveries = [];
    byId = new Map();
    received = new Map();
    counters = { received: 0, duplicates: 0, rejected: 0 };
    server.clearFaults();
    server.resetConcurrency();
  };

  const server: FakeHttpServer = await FakeHttpServer.start(
    [
      { name: 'sink_stats', method: 'GET', path: routePath('/_sink/stats'), handle: () => ({ status: 200, body: stats() }) },
      { name: 'sink_deliveries', method: 'GET', path: routePath('/_sink/deliveries'), handle: () => ({ status: 200, body: deliveries }) },
      {
        name: 'sink_secrets',
        method: 'POST',
        path: routePath('/_sink/secrets'),
        handle(request) {
          const secret = (request.json() as { secret?: unknown } | undefined)?.secret;
          if (typeof secret !== 'string' || !secret) return { status: 400, body: { error: 'secret required' } };
          secrets.add(secret);
          return { status: 204 };
        },
      },
      {
        name: 'sink_faults',
        method: 'POST',
        path: routePath('/_sink/faults'),
        handle(request) {
          const { fault, times } = (request.json() ?? {}) as { fault?: FakeFault; times?: number };
          if (!fault) return { status: 400, body: { error: 'fault required' } };
          server.fault('receive', fault, times ?? 1);
          return { status: 204 };
        },
      },
      {
        name: 'sink_chaos',
        method: 'POST',
        path: routePath('/_sink/chaos'),
        handle(request) {
          chaos = (request.json() ?? {}) as WebhookSinkChaos;
          return { status: 204 };
        },
      },
      {
        name: 'sink_reset',
        method: 'POST',
        path: routePath('/_sink/reset'),
        handle() {
          reset();
          return { status: 204 };
        },
      },
      { name: 'receive', method: 'POST', path: /^\/(?!_sink\/).*/, handle: receive },
    ],
    {
      record: options.record,
      pickFault(route) {
        if (route !== 'receive') return undefined;
        const roll = Math.random();
        const { errorRate = 0, hangAfterAcceptRate = 0, dropAfterAcceptRate = 0 } = chaos;
        if (roll < errorRate) return { reply: { status: 503, body: { error: 'chaos: unavailable' } } };
        if (roll < errorRate + hangAfterAcceptRate) return { hang: 'after' };
        if (roll < errorRate + hangAfterAcceptRate + dropAfterAcceptRate) return { drop: 'after' };
        return undefined;
      },
    },
    options.port,
  );
  base = server.url;

  return {
    url: server.url,
    hookUrl: (name = 'default') => `${server.url}/hooks/${encodeURIComponent(name)}`,
    get deliveries() {
      return deliveries;
    },
    requests: server.requests,
    timesReceived: (deliveryId) => received.get(deliveryId) ?? 0,
    stats,
    acceptSecret: (secret) => void secrets.add(secret),
    fail: (fault, times) => server.fault('receive', fault, times),
    failNextWith: (status, headers, when) =>
      server.fault('receive', { reply: { status, headers, body: { error: `scripted ${status}` } }, when }),
    hangAfterAcceptingNext: () => server.fault('receive', { hang: 'after' }),
    setChaos: (next) => void (chaos = next),
    reset,
    close: () => server.close(),
  };
}

/**
 * Whether one of the `v1,<base64>` signatures in `signatures` (space-separated, as
 * a key rotation would send) is the one the `standardwebhooks` package makes for
 * this id, timestamp and body under `secret` — the check a member's receiver runs.
 */
function signedWith(secret: string, id: string, timestamp: number, rawBody: string, signatures: string): boolean {
  let expected: string;
  try {
    expected = new Webhook(standardBase64Secret(secret)).sign(id, new Date(timestamp * 1000), rawBody);
  } catch {
    return false;
  }
  return signatures
    .split(' ')
    .some((given) => given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)));
}

/** The one of `secrets` that made the signature, if any. */
function signingSecret(
  secrets: ReadonlySet<string>,
  id: string,
  timestamp: number,
  rawBody: string,
  signatures: string,
): string | undefined {
  for (const secret of secrets) if (signedWith(secret, id, timestamp, rawBody, signatures)) return secret;
  return undefined;
}

/**
 * A secret as libraries read it: secrets issued before Standard Webhooks were
 * base64url without padding, which the README says to rewrite like this.
 */
export function standardBase64Secret(secret: string): string {
  const match = /^whsec_(.*)$/.exec(secret);
  if (!match || (!/[-_]/.test(match[1]!) && match[1]!.length % 4 === 0)) return secret;
  const base64 = match[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return `whsec_${base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')}`;
}

/** Steers a sink running in another process (webhook-sink.main.ts) through its /_sink/ API. */
export function connectWebhookSink(url: string) {
  const call = async (method: 'GET' | 'POST', route: string, body?: unknown) => {
    const response = await fetch(`${url}/_sink/${route}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`webhook sink ${route}: ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  };
  return {
    url,
    hookUrl: (name = 'default') => `${url}/hooks/${encodeURIComponent(name)}`,
    stats: () => call('GET', 'stats') as Promise<WebhookSinkStats>,
    deliveries: () => call('GET', 'deliveries') as Promise<WebhookDelivery[]>,
    acceptSecret: async (secret: string) => void (await call('POST', 'secrets', { secret })),
    fail: async (fault: FakeFault, times = 1) => void (await call('POST', 'faults', { fault, times })),
    setChaos: async (chaos: WebhookSinkChaos) => void (await call('POST', 'chaos', chaos)),
    reset: async () => void (await call('POST', 'reset')),
  };
}
