import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '@sharepool/kernel';
import { OutboundHttp } from '@sharepool/outbound';
import { type LinkedInFake, startLinkedInFake } from '@sharepool/testing/fakes';
import { LinkedInAdapter } from './linkedin.adapter.js';
import { type ChannelCredentials, PublishError, type PublishRequest } from './network-adapter.js';

describe('the LinkedIn adapter', () => {
  let linkedin: LinkedInFake;
  let http: OutboundHttp;
  let adapter: LinkedInAdapter;
  let credentials: ChannelCredentials;

  beforeAll(async () => {
    linkedin = await startLinkedInFake({ name: 'Alice Example' });
    http = new OutboundHttp({ allowPrivate: true });
    adapter = new LinkedInAdapter({ http, apiBaseUrl: linkedin.url, apiVersion: '202609', timeouts: { publishMs: 400, readMs: 400 } });
    credentials = { accessToken: linkedin.member.accessToken };
  });
  afterAll(async () => {
    await linkedin.close();
    await http.close();
  });

  function share(link = `https://blog.example/${randomUUID()}`, text = `Worth reading ${link}`): PublishRequest {
    const shareId = randomUUID();
    return {
      text,
      link,
      idempotencyKey: shareId,
      channelHandle: 'Alice Example',
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

  it('posts as the member with the versioned headers, the link as an article, and returns the URN from x-restli-id', async () => {
    const request = share('https://blog.example/a-post', 'A (great) read #growth https://blog.example/a-post');
    const result = await adapter.publish(credentials, request);
    const post = linkedin.posts.find((p) => p.id === result.externalId)!;
    expect(result).toEqual({ externalId: post.id, externalUrl: `https://www.linkedin.com/feed/update/${post.id}/` });
    expect(post.id).toMatch(/^urn:li:share:\d+$/);
    expect(post.author).toBe(`urn:li:person:${linkedin.member.sub}`);
    expect(post.commentary).toBe('A \\(great\\) read \\#growth https://blog.example/a-post');
    expect(post.articleSource).toBe(request.link);
    expect(post.version).toBe('202609');
    expect(post.restliProtocolVersion).toBe('2.0.0');
  });

  it('keeps no address when LinkedIn answers an id that is not a post URN', async () => {
    linkedin.fail('create_post', { reply: { status: 201, headers: { 'x-restli-id': 'javascript:alert(1)' } } });
    const result = await adapter.publish(credentials, share());
    expect(result).toEqual({ externalId: 'javascript:alert(1)', externalUrl: null });
  });

  it('reports a post LinkedIn refuses as permanent, in its words', async () => {
    const request = share();
    await adapter.publish(credentials, request);
    const error = await failure(adapter.publish(credentials, { ...request, shareId: randomUUID() }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error?.kind).toBe('PERMANENT');
    expect(error?.reason).toMatch(/^LinkedIn refused the post: Content is a duplicate of urn:li:share:\d+$/);
  });

  it('reports a 500 as transient', async () => {
    linkedin.serverErrorNext('create_post');
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({
      kind: 'TRANSIENT',
      reason: 'LinkedIn is unavailable (500): Internal Server Error',
    });
  });

  it('turns a 429 with Retry-After into a transient failure that says when to retry', async () => {
    linkedin.rateLimitNext('create_post', 45);
    expect(await failure(adapter.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT', retryAfterSeconds: 45 });
  });

  it('waits for midnight UTC after a daily limit without Retry-After', async () => {
    linkedin.rateLimitNext('create_post');
    const error = await failure(adapter.publish(credentials, share()));
    const now = new Date();
    const toMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
    expect(error?.kind).toBe('TRANSIENT');
    expect(Math.abs(error!.retryAfterSeconds! - toMidnight)).toBeLessThan(5);
  });

  it('asks for a new connection when the token was revoked, without showing it', async () => {
    const bob = linkedin.addMember('Bob Example');
    linkedin.revokeToken(bob.accessToken);
    const error = await failure(adapter.publish({ accessToken: bob.accessToken }, share()));
    expect(error).toMatchObject({
      kind: 'AUTH_EXPIRED',
      reason: "LinkedIn no longer accepts the channel's access token: The token used in the request has been revoked by the user",
    });
    expect(`${error?.message} ${error?.stack}`).not.toContain(bob.accessToken);
  });

  it('calls a timeout after the post was sent ambiguous, and findPublished then finds it', async () => {
    const request = share();
    linkedin.hangAfterPostingNext();
    const error = await failure(adapter.publish(credentials, request));
    expect(error).toMatchObject({ kind: 'AMBIGUOUS' });
    expect(adapter.honoursIdempotencyKey).toBe(false);
    const made = linkedin.posts.filter((p) => p.articleSource === request.link);
    expect(made).toHaveLength(1);
    expect(await adapter.findPublished(credentials, request)).toEqual({
      externalId: made[0]!.id,
      externalUrl: `https://www.linkedin.com/feed/update/${made[0]!.id}/`,
    });
    expect(await adapter.findPublished(credentials, share())).toBeNull();
  });

  it('says it cannot tell, rather than "not found", when LinkedIn will not show the member’s posts', async () => {
    linkedin.denyPostReads(true);
    try {
      expect(await failure(adapter.findPublished(credentials, share()))).toMatchObject({ kind: 'AMBIGUOUS' });
    } finally {
      linkedin.denyPostReads(false);
    }
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startLinkedInFake();
    await gone.close();
    const offline = new LinkedInAdapter({ http, apiBaseUrl: gone.url });
    expect(await failure(offline.publish(credentials, share()))).toMatchObject({ kind: 'TRANSIENT' });
  });

  it('verifies the token: the member’s name and id, audience unknown without the follower statistics permission', async () => {
    expect(await adapter.verify('alice', credentials)).toEqual({
      handle: 'Alice Example',
      accountId: linkedin.member.sub,
      audienceSize: null,
    });
    expect(linkedin.requests.at(-1)).toMatchObject({ route: 'followers_count', path: '/rest/memberFollowersCount' });
    expect(await failure(adapter.verify('alice', { accessToken: 'nope' }))).toMatchObject({ kind: 'AUTH_EXPIRED' });
    await expect(adapter.verify('alice', {})).rejects.toThrow(InvalidInputError);
  });

  it('reads the followers where LinkedIn grants the member follower statistics', async () => {
    const member = linkedin.addMember('Ada Follower', { followersCount: 1204 });
    expect(await adapter.verify('ada', { accessToken: member.accessToken })).toMatchObject({ audienceSize: 1204 });
    member.followersCount = 1300;
    expect(await adapter.readAudience('ada', { accessToken: member.accessToken })).toBe(1300);
  });
});
