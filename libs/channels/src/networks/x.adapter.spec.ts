import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import { startXFake, type XFake } from '@sharepool/testing/fakes';
import { type ChannelCredentials, PublishError, type PublishRequest } from './network-adapter.js';
import { XAdapter } from './x.adapter.js';

describe('the X adapter', () => {
  let x: XFake;
  let adapter: XAdapter;
  let credentials: ChannelCredentials;

  beforeAll(async () => {
    x = await startXFake({ username: 'alice_x', followersCount: 4321 });
    adapter = new XAdapter({ apiBaseUrl: x.url, timeouts: { publishMs: 400, readMs: 400 } });
    credentials = { accessToken: x.user.accessToken };
  });
  afterAll(() => x.close());

  function share(link = `https://blog.example/${randomUUID()}`, text = `Worth reading ${link}`): PublishRequest {
    const shareId = randomUUID();
    return {
      text,
      link,
      idempotencyKey: shareId,
      channelHandle: '@alice_x',
      shareId,
      post: { id: randomUUID(), url: link, title: 'A post' },
      sharer: { handle: 'alice' },
    };
  }
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as PublishError,
    );

  it('posts a tweet with the user token and returns its id and address', async () => {
    const request = share();
    const result = await adapter.publish(credentials, request);
    const tweet = x.tweets.find((t) => t.id === result.externalId)!;
    expect(tweet.sentText).toBe(request.text);
    expect(result.externalUrl).toBe(`https://x.com/alice_x/status/${result.externalId}`);
    const sent = x.requests.filter((r) => r.route === 'create_tweet').at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${x.user.accessToken}`);
    expect(JSON.parse(sent.body)).toEqual({ text: request.text });
  });

  it('keeps no address when X answers an id that is not a number', async () => {
    x.fail('create_tweet', { reply: { status: 201, body: { data: { id: '1/../../evil?x=', text: 'Worth reading' } } } });
    const result = await adapter.publish(credentials, share());
    expect(result).toEqual({ externalId: '1/../../evil?x=', externalUrl: null });
  });

  it('reports duplicate content as permanent, in X’s words', async () => {
    const request = share();
    await adapter.publish(credentials, request);
    const error = await failure(adapter.publish(credentials, { ...request, shareId: randomUUID() }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({
      kind: 'PERMANENT',
      reason: 'X refused the post: You are not allowed to create a Tweet with duplicate content.',
    });
  });

  it('reports a 503 as transient', async () => {
    x.serverErrorNext('create_tweet');
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({
      kind: 'TRANSIENT',
      reason: 'X is unavailable (503): Service Unavailable',
    });
  });

  it('turns a 429 into a transient failure that waits for x-rate-limit-reset', async () => {
    x.rateLimitNext('create_tweet', 900);
    const error = await failure(adapter.publish(credentials, share()));
    expect(error).toMatchObject({ kind: 'TRANSIENT' });
    expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(899);
    expect(error?.retryAfterSeconds).toBeLessThanOrEqual(901);
  });

  it('asks for a new connection when the token stops working, without showing it', async () => {
    const bob = x.addUser('bob');
    x.revokeToken(bob.accessToken);
    const error = await failure(adapter.publish({ accessToken: bob.accessToken }, share()));
    expect(error).toMatchObject({ kind: 'AUTH_EXPIRED', reason: "X no longer accepts the channel's access token: Unauthorized" });
    expect(`${error?.message} ${error?.stack}`).not.toContain(bob.accessToken);
  });

  it('calls a timeout after the tweet was sent ambiguous, and findPublished then finds it by its link', async () => {
    const request = share();
    x.hangAfterPostingNext();
    const error = await failure(adapter.publish(credentials, request));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(adapter.honoursIdempotencyKey).toBe(false);

    const made = x.tweets.filter((t) => t.sentText === request.text);
    expect(made).toHaveLength(1);
    expect(made[0]!.text).not.toContain(request.link); // X keeps only the t.co link in the text
    expect(await adapter.findPublished(credentials, request)).toEqual({
      externalId: made[0]!.id,
      externalUrl: `https://x.com/alice_x/status/${made[0]!.id}`,
    });
  });

  it('finds nothing for a tweet that was never made', async () => {
    const carol = x.addUser('carol');
    expect(await adapter.findPublished({ accessToken: carol.accessToken }, share())).toBeNull();
    await adapter.publish({ accessToken: carol.accessToken }, share());
    expect(await adapter.findPublished({ accessToken: carol.accessToken }, share())).toBeNull();
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startXFake();
    await gone.close();
    const offline = new XAdapter({ apiBaseUrl: gone.url });
    expect(await failure(offline.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('verifies the token: the username and its followers', async () => {
    expect(await adapter.verify('alice_x', credentials)).toEqual({ handle: 'alice_x', accountId: x.user.id, audienceSize: 4321 });
    expect(await adapter.readAudience('alice_x', credentials)).toBe(4321);
  });

  it('refuses to verify a wrong token as expired credentials, and asks for a token before calling', async () => {
    expect(await failure(adapter.verify('alice_x', { accessToken: 'nope' }))).toMatchObject({ kind: 'AUTH_EXPIRED' });
    await expect(adapter.verify('alice_x', {})).rejects.toThrow(InvalidInputError);
  });
});
