import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import { OutboundHttp } from '@sharepool/outbound';
import { type BlueskyFake, startBlueskyFake } from '@sharepool/testing/fakes';
import { underGcPressure } from '@sharepool/testing';
import { BlueskyAdapter } from './bluesky.adapter.js';
import { type ChannelCredentials, PublishError, type PublishRequest } from './network-adapter.js';

describe('the Bluesky adapter', () => {
  let bluesky: BlueskyFake;
  let http: OutboundHttp;
  let adapter: BlueskyAdapter;
  let credentials: ChannelCredentials;
  const handle = 'alice.bsky.social';

  beforeAll(async () => {
    bluesky = await startBlueskyFake({ handle, followersCount: 88 });
    http = new OutboundHttp({ allowPrivate: true });
    adapter = new BlueskyAdapter({ http, timeouts: { publishMs: 400, readMs: 400 } });
    credentials = { instanceUrl: bluesky.url, appPassword: bluesky.account.appPassword };
  });
  afterAll(async () => {
    await bluesky.close();
    await http.close();
  });

  function share(link = 'https://blog.example/post-1', text = `Worth reading ${link}`): PublishRequest {
    const shareId = randomUUID();
    return {
      text,
      link,
      idempotencyKey: shareId,
      channelHandle: handle,
      shareId,
      post: { id: randomUUID(), url: link, title: 'Post one' },
      sharer: { handle: 'alice' },
    };
  }
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as PublishError,
    );

  it('posts a record with the link as a facet and an embed, and returns its URI and address', async () => {
    const request = share('https://blog.example/é-post');
    const result = await adapter.publish(credentials, request);
    const record = bluesky.posts.find((p) => p.uri === result.externalId)!;
    expect(record.value.text).toBe(request.text);
    const start = Buffer.byteLength('Worth reading ');
    expect(record.value.facets).toEqual([
      {
        index: { byteStart: start, byteEnd: start + Buffer.byteLength(request.link) },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: request.link }],
      },
    ]);
    expect(record.value.embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: { uri: request.link, title: 'Post one', description: '' },
    });
    expect(result.externalUrl).toBe(`https://bsky.app/profile/${handle}/post/${record.rkey}`);
  });

  it.each([
    ['a record of another collection', 'at://did:plc:abc123/app.bsky.feed.like/3k2a'],
    ['a name instead of a DID', 'at://evil.example/app.bsky.feed.post/3kabcde2xyz'],
  ])('keeps no address when the server answers %s, the post still made', async (_what, uri) => {
    bluesky.answerUriNext(uri);
    const result = await adapter.publish(credentials, share(`https://blog.example/${randomUUID()}`));
    expect(result).toEqual({ externalId: uri, externalUrl: null });
  });

  it('builds the address on bsky.app from the record, never from the server', async () => {
    const uri = 'at://did:plc:abc123/app.bsky.feed.post/3kabcde2xyz';
    bluesky.answerUriNext(uri);
    const result = await adapter.publish(credentials, share(`https://blog.example/${randomUUID()}`));
    expect(result.externalUrl).toBe(`https://bsky.app/profile/${handle}/post/3kabcde2xyz`);
  });

  it('keeps its session between posts instead of logging in each time', async () => {
    const before = bluesky.sessionsCreated;
    await adapter.publish(credentials, share('https://blog.example/a'));
    await adapter.publish(credentials, share('https://blog.example/b'));
    expect(bluesky.sessionsCreated - before).toBeLessThanOrEqual(1);
  });

  it('refreshes an expired access token and posts, without a new session', async () => {
    await adapter.publish(credentials, share('https://blog.example/c'));
    const sessions = bluesky.sessionsCreated;
    const refreshes = bluesky.requests.filter((r) => r.route === 'refreshSession').length;
    bluesky.expireAccessTokens();
    const result = await adapter.publish(credentials, share('https://blog.example/d'));
    expect(bluesky.posts.some((p) => p.uri === result.externalId)).toBe(true);
    expect(bluesky.sessionsCreated).toBe(sessions);
    expect(bluesky.requests.filter((r) => r.route === 'refreshSession').length).toBe(refreshes + 1);
  });

  it('logs in again when the server ended its sessions, and posts', async () => {
    await adapter.publish(credentials, share('https://blog.example/g'));
    const sessions = bluesky.sessionsCreated;
    bluesky.endSessions();
    const result = await adapter.publish(credentials, share('https://blog.example/h'));
    expect(bluesky.posts.some((p) => p.uri === result.externalId)).toBe(true);
    expect(bluesky.sessionsCreated).toBe(sessions + 1);
  });

  it('reports a record the PDS refuses as permanent, in its words', async () => {
    const error = await failure(adapter.publish(credentials, share('https://blog.example/e', 'é'.repeat(301))));
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({
      kind: 'PERMANENT',
      reason: 'Bluesky refused the post: Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
    });
  });

  it('reports a 500 as transient', async () => {
    await adapter.publish(credentials, share('https://blog.example/warm'));
    bluesky.serverErrorNext('createRecord');
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('turns a 429 into a transient failure that says when to retry', async () => {
    await adapter.publish(credentials, share('https://blog.example/warm2'));
    bluesky.rateLimitNext('createRecord', 60);
    const error = await failure(adapter.publish(credentials, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
    expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(error?.retryAfterSeconds).toBeLessThanOrEqual(61);
  });

  it('asks for a new connection once the app password is revoked, without showing it', async () => {
    const bob = bluesky.addAccount('bob.bsky.social');
    const own = { instanceUrl: bluesky.url, appPassword: bob.appPassword };
    const request = { ...share('https://blog.example/f'), channelHandle: 'bob.bsky.social' };
    await adapter.publish(own, request);
    bluesky.revokeAppPassword('bob.bsky.social');
    const error = await failure(adapter.publish(own, request));
    expect(error).toMatchObject({
      kind: 'AUTH_EXPIRED',
      reason: "Bluesky no longer accepts the channel's app password: Invalid identifier or password",
    });
    expect(`${error?.message} ${error?.stack}`).not.toContain(own.appPassword);
  });

  it('calls a timeout after the record was sent ambiguous, and findPublished then finds the post', async () => {
    const request = share('https://blog.example/ambiguous');
    await adapter.publish(credentials, share('https://blog.example/warm3'));
    bluesky.hangAfterPostingNext();
    // Collections during the call must not lose its deadline (they did once: the share stayed POSTING).
    const error = await underGcPressure(() => failure(adapter.publish(credentials, request)));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(adapter.honoursIdempotencyKey).toBe(false);

    const found = await adapter.findPublished(credentials, request);
    const made = bluesky.posts.filter((p) => p.value.text === request.text);
    expect(made).toHaveLength(1);
    expect(found).toEqual({ externalId: made[0]!.uri, externalUrl: `https://bsky.app/profile/${handle}/post/${made[0]!.rkey}` });
  });

  it('calls an answer that stops halfway ambiguous at the deadline, and findPublished then finds the post', async () => {
    const request = share('https://blog.example/stalled');
    await adapter.publish(credentials, share('https://blog.example/warm4'));
    bluesky.stallAfterPostingNext();
    const error = await underGcPressure(() => failure(adapter.publish(credentials, request)));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(await adapter.findPublished(credentials, request)).not.toBeNull();
  });

  it('finds nothing for a post that was never made', async () => {
    expect(await adapter.findPublished(credentials, share('https://blog.example/never'))).toBeNull();
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startBlueskyFake();
    await gone.close();
    const error = await failure(adapter.publish({ instanceUrl: gone.url, appPassword: 'abcd-efgh-ijkl-mnop' }, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('verifies the handle and app password: the handle, the DID and its followers', async () => {
    expect(await adapter.verify(`@${handle}`, credentials)).toEqual({ handle, accountId: bluesky.account.did, audienceSize: 88 });
  });

  it('reads the followers again for the daily check, on its kept session', async () => {
    const sessions = bluesky.sessionsCreated;
    bluesky.account.followersCount = 91;
    expect(await adapter.readAudience(handle, credentials)).toBe(91);
    expect(bluesky.sessionsCreated).toBe(sessions);
  });

  it('refuses to verify a wrong app password as expired credentials', async () => {
    const error = await failure(adapter.verify(handle, { instanceUrl: bluesky.url, appPassword: 'wron-gpas-swor-dxxx' }));
    expect(error).toMatchObject({ kind: 'AUTH_EXPIRED' });
  });

  it('asks for an app password and a handle before calling anyone', async () => {
    await expect(adapter.verify(handle, { instanceUrl: bluesky.url })).rejects.toThrow(InvalidInputError);
    await expect(adapter.verify(' ', credentials)).rejects.toThrow(InvalidInputError);
  });
});
