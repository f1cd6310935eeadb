import { answerConsentPage } from '@sharepool/testing/fakes';
import type { SignedIn } from './members.js';
import type { GraphqlResult, TestApp } from './test-app.js';

const START = `mutation($i: StartChannelConnectionInput!) { startChannelConnection(input: $i) { authorizeUrl expiresAt } }`;

export interface StartedConnection {
  readonly result: GraphqlResult<{ startChannelConnection: { authorizeUrl: string; expiresAt: string } }>;
  readonly authorizeUrl: string;
  /** The browser's cookie for the callback (`name=value`), as the member's browser would keep it. */
  readonly cookie: string | undefined;
  /** The Set-Cookie header the API answered. */
  readonly setCookie: string | undefined;
}

/** startChannelConnection as the web client calls it, keeping the cookie the answer sets. */
export async function startConnection(
  t: TestApp,
  member: SignedIn,
  input: { network: string; instanceUrl?: string; returnTo?: string },
  cookie?: string,
): Promise<StartedConnection> {
  const request = t.http.post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${member.token}`);
  if (cookie) request.set('cookie', cookie);
  const res = await request.send({ query: START, variables: { i: input } });
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sp_connect='));
  return {
    result: { status: res.status, data: res.body?.data, errors: res.body?.errors, extensions: res.body?.extensions },
    authorizeUrl: res.body?.data?.startChannelConnection?.authorizeUrl ?? '',
    cookie: setCookie?.split(';')[0] ?? cookie,
    setCookie,
  };
}

/** The browser arriving at the callback; where it is sent next. */
export async function arriveAtCallback(
  callbackUrl: string,
  cookie: string | undefined,
): Promise<{ status: number; location: URL; body: string }> {
  const res = await fetch(callbackUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: new URL(res.headers.get('location') ?? '', callbackUrl), body: await res.text() };
}

/** The whole flow: start, consent, callback. */
export async function connectThroughConsent(
  t: TestApp,
  member: SignedIn,
  input: { network: string; instanceUrl?: string; returnTo?: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ location: URL; channelId: string | null; error: string | null; started: StartedConnection }> {
  const started = await startConnection(t, member, input);
  if (started.result.errors) throw new Error(`startChannelConnection failed: ${JSON.stringify(started.result.errors)}`);
  const back = await answerConsentPage(started.authorizeUrl, decision);
  const { location } = await arriveAtCallback(back, started.cookie);
  return { location, channelId: location.searchParams.get('connected'), error: location.searchParams.get('error'), started };
}
