import { createHmac, randomUUID } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import { OutboundHttp } from '@sharepool/outbound';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { type ChannelCredentials, PublishError, type PublishRequest } from './network-adapter.js';
import { WebhookAdapter } from './webhook.adapter.js';

describe('the webhook adapter', () => {
  const signingSecret = 'whsec_MfKQ9r8DKjGsIA7fMnHPq1Ch2lM2f7BdYsa3c0dR6ZQ=';
  const now = new Date('2026-11-25T10:00:00.000Z');
  let sink: WebhookSinkFake;
  let http: OutboundHttp;
  let adapter: WebhookAdapter;
  let credentials: ChannelCredentials;

  beforeAll(async () => {
    sink = await startWebhookSink({ secrets: [signingSecret], toleranceSeconds: 10 * 365 * 86_400 });
    http = new OutboundHttp({ allowPrivate: true });
    adapter = new WebhookAdapter({ http, timeouts: { publishMs: 400, readMs: 400 }, now: () => now });
    credentials = { webhookUrl: sink.hookUrl('alice'), signingSecret };
  });
  afterAll(async () => {
    await sink.close();
    await http.close();
  });

  function share(): PublishRequest {
    const shareId = randomUUID();
    return {
      text: 'Worth reading https://blog.example/post-1',
      link: 'https://blog.example/post-1',
      idempotencyKey: shareId,
      channelHandle: 'alice-hook',
      shareId,
      post: { id: randomUUID(), url: 'https://blog.example/post-1', title: 'Post one' },
      sharer: { handle: 'alice' },
    };
  }
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as PublishError,
    );

  it('posts the signed delivery: exact body and headers, and the answered url as the address', async () => {
    const request = share();
    const result = await adapter.publish(credentials, request);
    expect(result).toEqual({ externalId: request.shareId, externalUrl: `${sink.url}/deliveries/${request.shareId}` });

    const sent = sink.requests.filter((r) => r.route === 'receive').at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({
      deliveryId: request.shareId,
      shareId: request.shareId,
      post: request.post,
      shortUrl: request.link,
      message: request.text,
      sharer: { handle: 'alice' },
      postedAt: '2026-11-25T10:00:00.000Z',
    });
    expect(sent.path).toBe('/hooks/alice');
    expect(sent.headers['content-type']).toBe('application/json');
    // Standard Webhooks: the id and timestamp are signed with the body.
    expect(sent.headers['webhook-id']).toBe(request.shareId);
    expect(sent.headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    const key = Buffer.from(signingSecret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${request.shareId}.${now.getTime() / 1000}.${sent.body}`)
      .digest('base64');
    expect(sent.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(Object.keys(sent.headers).filter((h) => h.startsWith('x-sharepool'))).toEqual([]);
    expect(sink.deliveries.map((d) => d.deliveryId)).toContain(request.shareId);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'https://user:pass@blog.example/p'])(
    'has no address when the receiver answers the url %s',
    async (url) => {
      sink.fail({ reply: { status: 200, body: { url } } });
      expect(await adapter.publish(credentials, share())).toMatchObject({ externalUrl: null });
    },
  );

  it('has no address when the receiver answers without a JSON url', async () => {
    sink.fail({ reply: { status: 204 } });
    expect(await adapter.publish(credentials, share())).toMatchObject({ externalUrl: null });
  });

  it('treats 408, 429 and 5xx as transient, with Retry-After when given', async () => {
    sink.failNextWith(500);
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({
      kind: 'TRANSIENT',
      reason: 'The webhook answered 500: scripted 500',
    });
    sink.failNextWith(408);
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT' });
    sink.failNextWith(429, { 'Retry-After': '17' });
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT', retryAfterSeconds: 17 });
    sink.failNextWith(503, { 'Retry-After': 'Wed, 25 Nov 2099 10:00:00 GMT' });
    expect((await failure(adapter.publish(credentials, share())))?.retryAfterSeconds).toBe(86_400);
  });

  it('treats any other 4xx as permanent, and does not follow redirects', async () => {
    for (const status of [400, 401, 404, 410]) {
      sink.failNextWith(status);
      expect(await failure(adapter.publish(credentials, share()))).toMatchObject({
        kind: 'PERMANENT',
        reason: `The webhook answered ${status}: scripted ${status}`,
      });
    }
    const before = sink.stats().received;
    sink.fail({ reply: { status: 301, headers: { location: sink.hookUrl('elsewhere') } } });
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({
      kind: 'PERMANENT',
      reason: 'The webhook answered with a redirect (301); give the channel the final URL',
    });
    expect(sink.stats().received).toBe(before);
  });

  it('is refused by the receiver when signed with another secret, and never shows the secret', async () => {
    const wrong = { ...credentials, signingSecret: 'whsec_not_the_right_one_123' };
    const error = await failure(adapter.publish(wrong, share()));
    expect(error).toMatchObject({ kind: 'PERMANENT', reason: 'The webhook answered 401: invalid signature' });
    expect(`${error?.message} ${error?.stack}`).not.toContain('whsec_');
  });

  it('calls a timeout after the delivery was sent ambiguous; the retry with the same delivery id is processed once', async () => {
    const request = share();
    sink.hangAfterAcceptingNext();
    const error = await failure(adapter.publish(credentials, request));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(adapter.honoursIdempotencyKey).toBe(true);
    expect(await adapter.findPublished()).toBeNull();

    const retried = await adapter.publish(credentials, request);
    expect(retried.externalId).toBe(request.shareId);
    expect(sink.timesReceived(request.shareId)).toBe(2);
    expect(sink.deliveries.filter((d) => d.deliveryId === request.shareId)).toHaveLength(1);
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startWebhookSink();
    await gone.close();
    expect(await failure(adapter.publish({ webhookUrl: gone.hookUrl(), signingSecret }, share()))).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('refuses a private address when the address rule is on', async () => {
    const guarded = new WebhookAdapter({ http: new OutboundHttp({ allowPrivate: false }) });
    const error = await failure(guarded.publish(credentials, share()));
    expect(error).toMatchObject({
      kind: 'PERMANENT',
      reason: 'Sharepool does not connect to 127.0.0.1: it is not a public internet address',
    });
  });

  it('checks the URL and the secret for shape when connecting', async () => {
    expect(await adapter.verify('alice-hook', credentials)).toEqual({ handle: 'alice-hook', accountId: null, audienceSize: null });
    expect(await adapter.readAudience()).toBeNull();
    await expect(adapter.verify('alice-hook', { ...credentials, webhookUrl: 'ftp://files.example/x' })).rejects.toThrow(InvalidInputError);
    await expect(adapter.verify('alice-hook', { webhookUrl: sink.hookUrl() })).rejects.toThrow(InvalidInputError);
  });
});
