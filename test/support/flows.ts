import { fromGlobalId } from '../../apps/api/src/graphql/global-id.js';
import type { WebhookSinkFake } from '@sharepool/testing/fakes';
import type { SignedIn } from './members.js';
import type { TestApp } from './test-app.js';

/** Runs a GraphQL operation and fails the test on any error. */
export async function ok<T = Record<string, any>>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const res = await t.gql<T>(query, variables, { token });
  if (res.errors) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

let nicheCount = 0;

/** A new niche (created by the admin) that `members` join. */
export async function nicheWith(t: TestApp, admin: SignedIn, ...members: SignedIn[]): Promise<string> {
  const slug = `niche-${Date.now().toString(36)}-${nicheCount++}`;
  const { createNiche } = await ok(
    t,
    `mutation($i: CreateNicheInput!) { createNiche(input: $i) { id } }`,
    { i: { slug, name: slug } },
    admin.token,
  );
  for (const m of members) await ok(t, `mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: createNiche.id }, m.token);
  return createNiche.id;
}

export interface SubmitOptions {
  readonly url?: string;
  readonly creditsPerShare?: number;
  readonly budget?: number;
  readonly title?: string;
}

let pageCount = 0;

/** A post submitted by `author` (a title given, so no preview fetch is needed). */
export async function submitPost(t: TestApp, author: SignedIn, nicheId: string, options: SubmitOptions = {}): Promise<string> {
  const { submitPost } = await ok(
    t,
    `mutation($i: SubmitPostInput!) { submitPost(input: $i) { id } }`,
    {
      i: {
        url: options.url ?? `https://blog.example.com/post-${Date.now().toString(36)}-${pageCount++}`,
        nicheId,
        title: options.title ?? 'A post worth sharing',
        creditsPerShare: options.creditsPerShare ?? 10,
        budget: options.budget ?? 50,
      },
    },
    author.token,
  );
  return submitPost.id;
}

export async function approve(t: TestApp, moderator: SignedIn, postId: string): Promise<void> {
  await ok(
    t,
    `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
    { i: { postId, action: 'APPROVE' } },
    moderator.token,
  );
}

/** An approved post of `author`'s. */
export async function approvedPost(
  t: TestApp,
  admin: SignedIn,
  author: SignedIn,
  nicheId: string,
  options: SubmitOptions = {},
): Promise<string> {
  const id = await submitPost(t, author, nicheId, options);
  await approve(t, admin, id);
  return id;
}

/** A webhook channel of `member`'s delivering to `sink`, its signing secret accepted there. */
export async function webhookChannel(t: TestApp, member: SignedIn, sink: WebhookSinkFake, name = member.handle): Promise<string> {
  const { connectChannel } = await ok(
    t,
    `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } signingSecret } }`,
    { i: { network: 'WEBHOOK', handle: name, webhookUrl: sink.hookUrl(name) } },
    member.token,
  );
  sink.acceptSecret(connectChannel.signingSecret);
  return connectChannel.channel.id;
}

export async function share(t: TestApp, sharer: SignedIn, postId: string, channelIds: string[], extra: Record<string, unknown> = {}) {
  return t.gql(
    `mutation($i: SharePostInput!) { sharePost(input: $i) { id status } }`,
    { i: { postId, channelIds, ...extra } },
    { token: sharer.token },
  );
}

export async function shareStatus(t: TestApp, member: SignedIn, shareId: string) {
  const { node } = await ok(
    t,
    `query($id: ID!) { node(id: $id) { ... on Share { status failureReason externalUrl creditsEarned } } }`,
    { id: shareId },
    member.token,
  );
  return node as { status: string; failureReason: string | null; externalUrl: string | null; creditsEarned: number };
}

/** An ISO time `seconds` from now, for scheduledFor. */
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** Polls until `check` passes or `timeoutMs` runs out (then throws with the last value). */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

export async function balanceOf(t: TestApp, member: SignedIn): Promise<number> {
  return (await ok(t, `{ viewer { creditBalance } }`, {}, member.token)).viewer.creditBalance;
}

/** The database id inside a global id. */
export function rawId(globalId: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed) throw new Error(`${globalId} is not a global id`);
  return parsed.id;
}
