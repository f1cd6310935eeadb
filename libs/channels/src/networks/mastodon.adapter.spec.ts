import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import { OutboundHttp } from '@sharepool/outbound';
import { type MastodonFake, startMastodonFake } from '@sharepool/testing/fakes';
import { underGcPressure } from '@sharepool/testing';
import { MastodonAdapter } from './mastodon.adapter.js';
import { type ChannelCredentials, PublishError, type PublishRequest } from './network-adapter.js';

describe('the Mastodon adapter', () => {
  let mastodon: MastodonFake;
  let http: OutboundHttp;
  let adapter: MastodonAdapter;
  let credentials: ChannelCredentials;

  beforeAll(async () => {
    mastodon = await startMastodonFake({ username: 'alice', followersCount: 321 });
    http = new OutboundHttp({ allowPrivate: true });
    adapter = new MastodonAdapter({ http, timeouts: { publishMs: 400, readMs: 400 } });
    credentials = { instanceUrl: mastodon.url, accessToken: mastodon.account.accessToken };
  });
  afterAll(async () => {
    await mastodon.close();
    await http.close();
  });

  function share(text = 'A good read https://blog.example/post-1'): PublishRequest {
    const shareId = randomUUID();
    return {
      text,
      link: 'https://blog.example/post-1',
      idempotencyKey: shareId,
      channelHandle: 'alice',
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

  it('posts a public status and returns its id and address', async () => {
    const request = share('Worth reading https://blog.example/post-1');
    const result = await adapter.publish(credentials, request);
    const status = mastodon.statuses.find((s) => s.id === result.externalId);
    expect(status?.text).toBe('Worth reading https://blog.example/post-1');
    expect(result.externalUrl).toBe(`${mastodon.url}/@alice/${result.externalId}`);
    const sent = mastodon.requests.filter((r) => r.route === 'create_status').at(-1)!;
    expect(sent.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(JSON.parse(sent.body)).toMatchObject({ visibility: 'public' });
  });

  it.each([
    ['a javascript: address', { url: 'javascript:alert(document.cookie)', uri: 'javascript:alert(1)' }],
    ['an address on another server', { url: 'https://evil.example/@alice/1', uri: 'https://evil.example/users/alice/statuses/1' }],
    ['a data: address', { url: 'data:text/html,<script>alert(1)</script>', uri: 'data:text/html,x' }],
  ])('keeps no address when the instance answers %s, the status still posted', async (_what, addresses) => {
    mastodon.answerAddressesNext(addresses);
    const result = await adapter.publish(credentials, share());
    expect(result.externalUrl).toBeNull();
    expect(mastodon.statuses.some((s) => s.id === result.externalId)).toBe(true);
  });

  it('keeps the uri when the url is missing but the uri is on the instance', async () => {
    mastodon.answerAddressesNext({ url: null, uri: `${mastodon.url}/users/alice/statuses/42` });
    expect((await adapter.publish(credentials, share())).externalUrl).toBe(`${mastodon.url}/users/alice/statuses/42`);
  });

  it('reports a status Mastodon refuses as permanent, in Mastodon’s words', async () => {
    const error = await failure(adapter.publish(credentials, share('x'.repeat(501))));
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({
      kind: 'PERMANENT',
      reason: 'Mastodon refused the post: Validation failed: Text character limit of 500 exceeded',
    });
  });

  it('reports a 503 as transient', async () => {
    mastodon.serverErrorNext('create_status');
    const error = await failure(adapter.publish(credentials, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
    expect(error?.reason).toContain('503');
  });

  it('reports a proxy’s HTML 502 as transient', async () => {
    mastodon.fail('create_status', { reply: { status: 502, body: '<html><body>502 Bad Gateway</body></html>' } });
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('turns a 429 into a transient failure that says when to retry', async () => {
    mastodon.rateLimitNext('create_status', 120);
    const error = await failure(adapter.publish(credentials, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
    expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(119);
    expect(error?.retryAfterSeconds).toBeLessThanOrEqual(121);
  });

  it('honours a Retry-After header on a 429', async () => {
    mastodon.fail('create_status', { reply: { status: 429, body: { error: 'Too many requests' }, headers: { 'Retry-After': '30' } } });
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT', retryAfterSeconds: 30 });
  });

  it('asks for a new connection when the token was revoked, without showing the token', async () => {
    const bob = mastodon.addAccount('bob');
    mastodon.revokeToken(bob.accessToken);
    const error = await failure(adapter.publish({ instanceUrl: mastodon.url, accessToken: bob.accessToken }, share()));
    expect(error).toMatchObject({
      kind: 'AUTH_EXPIRED',
      reason: "Mastodon no longer accepts the channel's access token: The access token was revoked",
    });
    expect(JSON.stringify({ ...error, message: error?.message, stack: error?.stack })).not.toContain(bob.accessToken);
  });

  it('calls a timeout after the status was sent ambiguous, and a retry with the same key posts it once', async () => {
    const request = share();
    mastodon.hangAfterPostingNext();
    // Collections during the call must not lose its deadline (they did once: the share stayed POSTING).
    const error = await underGcPressure(() => failure(adapter.publish(credentials, request)));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(adapter.honoursIdempotencyKey).toBe(true);

    const retried = await adapter.publish(credentials, request);
    const made = mastodon.statuses.filter((s) => s.idempotencyKey === request.idempotencyKey);
    expect(made).toHaveLength(1);
    expect(retried.externalId).toBe(made[0]!.id);
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startMastodonFake();
    await gone.close();
    const error = await failure(adapter.publish({ instanceUrl: gone.url, accessToken: 'whatever' }, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('finds a status that links to the shared post, and nothing for another post', async () => {
    const carol = mastodon.addAccount('carol');
    const own = { instanceUrl: mastodon.url, accessToken: carol.accessToken };
    const request = { ...share('See https://blog.example/post-9?a=1&b=2'), link: 'https://blog.example/post-9?a=1&b=2' };
    const posted = await adapter.publish(own, request);
    expect(await adapter.findPublished(own, request)).toEqual(posted);
    expect(await adapter.findPublished(own, { ...request, link: 'https://blog.example/other' })).toBeNull();
  });

  it('verifies the credentials: the account name and its followers', async () => {
    expect(await adapter.verify('alice', credentials)).toEqual({
      handle: 'alice',
      accountId: `${mastodon.url}#${mastodon.account.id}`,
      audienceSize: 321,
    });
    mastodon.account.followersCount = 400;
    expect(await adapter.readAudience('alice', credentials)).toBe(400);
    mastodon.account.followersCount = 321;
  });

  it('refuses to verify a wrong token as expired credentials', async () => {
    const error = await failure(adapter.verify('alice', { instanceUrl: mastodon.url, accessToken: 'not-a-token' }));
    expect(error).toMatchObject({ kind: 'AUTH_EXPIRED' });
  });

  it('asks for an instance address and a token before calling anyone', async () => {
    await expect(adapter.verify('alice', { accessToken: 'x' })).rejects.toThrow(InvalidInputError);
    await expect(adapter.verify('alice', { instanceUrl: 'ftp://host', accessToken: 'x' })).rejects.toThrow(InvalidInputError);
    await expect(adapter.verify('alice', { instanceUrl: mastodon.url })).rejects.toThrow(InvalidInputError);
  });
});
