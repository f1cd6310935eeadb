import { spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';
import { connectWebhookSink, standardBase64Secret, startWebhookSink, type WebhookSinkFake } from './webhook-sink.fake.js';

/** A secret as Sharepool issues them (libs/channels: newWebhookSecret). */
const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the secret's bytes, as Sharepool signs. */
const signWebhook = (id: string, timestamp: number, body: string, whsec: string) =>
  `v1,${createHmac('sha256', Buffer.from(whsec.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

const secret = newWebhookSecret();
const secondSecret = newWebhookSecret();

/** A delivery as Sharepool signs it. */
function delivery(id = randomUUID(), options: { secret?: string; timestamp?: number } = {}) {
  const body = JSON.stringify({
    deliveryId: id,
    shareId: id,
    post: { id: randomUUID(), url: 'https://blog.example/p', title: 'P' },
    message: 'Read https://blog.example/p',
    sharer: { handle: 'alice' },
    postedAt: new Date().toISOString(),
  });
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signWebhook(id, timestamp, body, options.secret ?? secret);
  return {
    id,
    init: {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
    },
  };
}

describe('the webhook sink', () => {
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink({ secrets: [secret], record: false });
  });
  afterAll(() => sink.close());
  beforeEach(() => sink.reset());

  it('accepts a signed delivery and answers with its url', async () => {
    const { id, init } = delivery();
    const response = await fetch(sink.hookUrl('a'), init);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, url: `${sink.url}/deliveries/${id}` });
    expect(sink.deliveries.map((d) => d.deliveryId)).toEqual([id]);
  });

  it('refuses a wrong signature, missing headers, a stale timestamp and a replayed one', async () => {
    const wrong = delivery(undefined, { secret: newWebhookSecret() });
    expect((await fetch(sink.hookUrl(), wrong.init)).status).toBe(401);
    expect((await fetch(sink.hookUrl(), { method: 'POST', body: '{}' })).status).toBe(400);
    const stale = delivery(undefined, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect((await fetch(sink.hookUrl(), stale.init)).status).toBe(400);
    // The timestamp is signed: moving an old delivery's timestamp to now breaks its signature.
    const replayed = delivery(undefined, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const headers = { ...replayed.init.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    expect((await fetch(sink.hookUrl(), { ...replayed.init, headers })).status).toBe(401);
    expect(sink.stats()).toMatchObject({ accepted: 0, rejected: 4, received: 0 });
  });

  it('verifies deliveries exactly as the standardwebhooks package does', async () => {
    const { init } = delivery();
    expect(new Webhook(secret).verify(init.body, init.headers)).toMatchObject({ message: 'Read https://blog.example/p' });
    expect(() => new Webhook(secondSecret).verify(init.body, init.headers)).toThrow();
  });

  it('accepts a secret issued before Standard Webhooks (base64url), rewritten in standard base64 as the README says', async () => {
    const key = Buffer.from('fb9f2ee8a1c3d5ff0e4f6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f9fbf', 'hex');
    const legacy = `whsec_${key.toString('base64url')}`;
    expect(legacy).toMatch(/[-_]/);
    expect(standardBase64Secret(legacy)).toBe(`whsec_${key.toString('base64')}`);
    sink.acceptSecret(legacy);
    const { id, init } = delivery(undefined, { secret: legacy });
    expect((await fetch(sink.hookUrl('legacy'), init)).status).toBe(200);
    expect(sink.deliveries.map((d) => d.deliveryId)).toEqual([id]);
  });

  it('processes a delivery id once and counts every time it arrived', async () => {
    const first = delivery();
    await fetch(sink.hookUrl(), first.init);
    const again = await fetch(sink.hookUrl(), delivery(first.id).init);
    expect(await again.json()).toEqual({ ok: true, url: `${sink.url}/deliveries/${first.id}` });
    expect(sink.deliveries).toHaveLength(1);
    expect(sink.timesReceived(first.id)).toBe(2);
    expect(sink.stats()).toMatchObject({ received: 2, accepted: 1, duplicates: 1, timesReceived: { [first.id]: 2 } });
  });

  it('is steered and read through its control API', async () => {
    const remote = connectWebhookSink(sink.url);
    await remote.acceptSecret(secondSecret);
    await remote.fail({ reply: { status: 503 } });
    const { id, init } = delivery(undefined, { secret: secondSecret });
    expect((await fetch(remote.hookUrl(), init)).status).toBe(503);
    expect((await fetch(remote.hookUrl(), init)).status).toBe(200);
    expect(await remote.stats()).toMatchObject({ accepted: 1, timesReceived: { [id]: 1 } });
    expect((await remote.deliveries()).map((d) => d.deliveryId)).toEqual([id]);
  });

  it('with chaos on, processes deliveries it then leaves unanswered', async () => {
    sink.setChaos({ dropAfterAcceptRate: 1 });
    const { id, init } = delivery();
    await expect(fetch(sink.hookUrl(), init)).rejects.toThrow();
    sink.setChaos({});
    expect(sink.timesReceived(id)).toBe(1);
    expect(sink.deliveries.map((d) => d.deliveryId)).toEqual([id]);
  });

  it('accepts every one of 2,000 deliveries sent 50 at a time (its rate is printed; the delivery bench measures it)', async () => {
    const total = 2000;
    const concurrency = 50;
    // node:http with kept-alive sockets, like a delivery worker pool (fetch would dominate the time measured).
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = (init: ReturnType<typeof delivery>['init']) =>
      new Promise<number>((resolve, reject) => {
        const req = request(sink.hookUrl(), { method: 'POST', headers: init.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(init.body);
      });
    const started = performance.now();
    let next = 0;
    const statuses = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const seen: number[] = [];
        while (next < total) {
          next++;
          seen.push(await post(delivery().init));
        }
        return seen;
      }),
    );
    const perSecond = total / ((performance.now() - started) / 1000);
    agent.destroy();
    expect(statuses.flat().filter((status) => status !== 200)).toEqual([]);
    expect(sink.stats().accepted).toBe(total);
    process.stdout.write(`webhook sink: ${Math.round(perSecond)} deliveries/s\n`);
  });

  it('runs as its own process (apps/cli) and prints its URL', async () => {
    // From the sources: the test must not depend on a stale dist/.
    const child = spawn(
      process.execPath,
      ['--import', './test/support/ts-loader.mjs', 'apps/cli/src/webhook-sink.ts', '--secret', secret, '--no-record'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [line] = await createInterface({ input: child.stdout })
        [Symbol.asyncIterator]()
        .next()
        .then((r) => [r.value as string]);
      const { url } = JSON.parse(line!) as { url: string };
      const remote = connectWebhookSink(url);
      const { id, init } = delivery();
      expect((await fetch(remote.hookUrl(), init)).status).toBe(200);
      expect(await remote.stats()).toMatchObject({ accepted: 1, timesReceived: { [id]: 1 } });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
