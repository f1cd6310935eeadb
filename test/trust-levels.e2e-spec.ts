import { TrustReview } from '@sharepool/relationships';
import { ShareDeliveryService } from '@sharepool/sharing';
import { MovableClock } from '@sharepool/testing';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, eventually, inSeconds, nicheWith, ok, rawId, share, submitPost } from './support/flows.js';
import { codeOf, signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TRUST = `{ viewer { trust { level since next locked
  requirements { name description have need met }
  privileges { sharesPerDay postsPerDay maxCreditsPerShare postsSkipReview } } } }`;
const LEVEL = `query($handle: String!) { member(handle: $handle) { trustLevel } }`;
const SET_LEVEL = `mutation($i: SetTrustLevelInput!) { setTrustLevel(input: $i) { handle trustLevel } }`;
const AUDIT = `{ auditLog(first: 50) { nodes { action targetType reason } } }`;
const MODERATE = `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status rejectionReason } }`;
const SUSPEND = `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`;
const SUBMIT = `mutation($i: SubmitPostInput!) { submitPost(input: $i) { id status } }`;

let pages = 0;
const page = () => `https://blog.example.com/trust-${Date.now().toString(36)}-${pages++}`;

/*
 * Trust levels with the default table (TRUST_RULES unset). No worker: the
 * trust review's jobs are run by calling TrustReview, as the worker does
 * (the last describe runs the worker itself), and days pass on a clock the
 * test moves.
 */
describe('trust levels', () => {
  let t: TestApp;
  let admin: SignedIn;
  let moderator: SignedIn;
  let sink: WebhookSinkFake;
  const clock = new MovableClock();

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ clock, env: { TRUST_RULES: '', CHANNEL_MIN_INTERVAL_SECONDS: '0', SIGNUP_GRANT: '1000' } });
    admin = await signInAdmin(t);
    moderator = await signUpAs(t, admin, 'MODERATOR');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const review = () => t.app.get(TrustReview);
  const trustOf = async (member: SignedIn) => (await ok(t, TRUST, {}, member.token)).viewer.trust;
  const levelOf = async (member: SignedIn) => (await ok(t, LEVEL, { handle: member.handle }, admin.token)).member.trustLevel;
  const setLevel = (member: SignedIn, level: string, extra: Record<string, unknown> = {}) =>
    t.gql(SET_LEVEL, { i: { memberId: member.id, level, reason: 'Known to the community', ...extra } }, { token: admin.token });
  const auditReasons = async (action: string) =>
    (await ok(t, AUDIT, {}, admin.token)).auditLog.nodes
      .filter((e: { action: string }) => e.action === action)
      .map((e: { reason: string }) => e.reason);

  let channelCount = 0;
  async function channelsOf(member: SignedIn, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${member.handle}-${channelCount++}`;
      const { connectChannel } = await ok(
        t,
        `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } signingSecret } }`,
        { i: { network: 'WEBHOOK', handle: name, webhookUrl: sink.hookUrl(name), audienceSize: 50 } },
        member.token,
      );
      sink.acceptSecret(connectChannel.signingSecret);
      ids.push(connectChannel.channel.id);
    }
    return ids;
  }

  async function sharePosted(sharer: SignedIn, postId: string, channels: string[]): Promise<void> {
    const res = await share(t, sharer, postId, channels);
    expect(res.errors).toBeUndefined();
    for (const made of res.data!.sharePost) {
      expect(await t.app.get(ShareDeliveryService, { strict: false }).deliver(rawId(made.id))).toBe('POSTED');
    }
  }

  /** A member and an author in a niche, the author with a post the member can share `shares` times. */
  async function sharerWithPost(shares = 3) {
    const member = await signUp(t);
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, member, author);
    const postId = await approvedPost(t, admin, author, niche, { creditsPerShare: 1, budget: shares });
    return { member, author, niche, postId, channels: await channelsOf(member, shares) };
  }

  it('starts every member at NEW and shows what BASIC takes', async () => {
    const member = await signUp(t);
    const trust = await trustOf(member);
    expect(trust).toMatchObject({
      level: 'NEW',
      next: 'BASIC',
      locked: false,
      privileges: { sharesPerDay: 10, postsPerDay: 3, maxCreditsPerShare: 10, postsSkipReview: false },
    });
    expect(trust.requirements).toEqual([
      { name: 'daysSinceJoining', description: 'Days since you joined: at least 3', have: 0, need: 3, met: false },
      { name: 'postedShares', description: "Your shares of peers' posts that went out: at least 3", have: 0, need: 3, met: false },
      { name: 'rejectedPostsLast30Days', description: 'Your posts rejected in the last 30 days: at most 0', have: 0, need: 0, met: true },
    ]);
  });

  it('promotes a member after the event that meets the rule, not before', async () => {
    const { member, postId, channels } = await sharerWithPost(3);
    clock.advanceDays(3);
    try {
      await sharePosted(member, postId, channels.slice(0, 2));
      await review().reviewDue();
      expect(await levelOf(member)).toBe('NEW');
      expect((await trustOf(member)).requirements.find((r: { name: string }) => r.name === 'postedShares')).toMatchObject({
        have: 2,
        met: false,
      });
      // The third share POSTED is the event that meets the rule.
      await sharePosted(member, postId, channels.slice(2));
      await review().reviewDue();
      expect(await levelOf(member)).toBe('BASIC');
      const trust = await trustOf(member);
      expect(trust).toMatchObject({ level: 'BASIC', next: 'MEMBER', privileges: { sharesPerDay: 20, maxCreditsPerShare: 25 } });
      expect(new Date(trust.since).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);
      expect(await auditReasons('TRUST_LEVEL_CHANGED')).toContain('Met every requirement of BASIC');
    } finally {
      clock.advanceDays(-3);
    }
  });

  it('promotes a member whose only missing requirement was time once the day comes', async () => {
    const { member, postId, channels } = await sharerWithPost(3);
    await sharePosted(member, postId, channels);
    await review().reviewDue();
    expect(await levelOf(member)).toBe('NEW');
    clock.advanceDays(3);
    try {
      await review().reviewDue();
      expect(await levelOf(member)).toBe('BASIC');
    } finally {
      clock.advanceDays(-3);
    }
  });

  it('leaves a level an admin locked alone, and takes it back to automatic on unlock', async () => {
    const { member, postId, channels } = await sharerWithPost(3);
    expect((await setLevel(member, 'NEW')).data!.setTrustLevel).toEqual({ handle: member.handle, trustLevel: 'NEW' });
    expect(await trustOf(member)).toMatchObject({ level: 'NEW', locked: true, next: null, requirements: [] });
    clock.advanceDays(3);
    try {
      await sharePosted(member, postId, channels);
      await review().reviewDue();
      expect(await levelOf(member)).toBe('NEW');
      await setLevel(member, 'NEW', { lock: false });
      expect((await trustOf(member)).locked).toBe(false);
      await review().reviewDue();
      expect(await levelOf(member)).toBe('BASIC');
      // Told in the promotion's transaction; the admin's lock that kept NEW changed no level, so told nothing.
      const { viewer } = await ok(t, `{ viewer { notifications { nodes { kind message } } } }`, {}, member.token);
      const told = viewer.notifications.nodes.filter((n: { kind: string }) => n.kind === 'TRUST_LEVEL_CHANGED');
      expect(told).toHaveLength(1);
      expect(told[0].message).toMatch(/^Your trust level is now BASIC \(it was NEW\): /);
    } finally {
      clock.advanceDays(-3);
    }
  });

  it('lets only admins set levels, with a reason of 3 to 500 characters', async () => {
    const member = await signUp(t);
    expect(
      codeOf(await t.gql(SET_LEVEL, { i: { memberId: member.id, level: 'LEADER', reason: 'Because' } }, { token: moderator.token })),
    ).toBe('FORBIDDEN');
    for (const reason of ['no', ' ab ', 'x'.repeat(501)]) {
      const res = await setLevel(member, 'LEADER', { reason });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('reason');
    }
    expect(await levelOf(member)).toBe('NEW');
    expect((await setLevel(member, 'LEADER', { reason: 'Runs the community calls' })).errors).toBeUndefined();
    expect(await trustOf(member)).toMatchObject({ level: 'LEADER', locked: true, next: null });
    expect(await auditReasons('TRUST_LEVEL_CHANGED')).toContain('Runs the community calls');
  });

  it('drops a suspended member to NEW, lock and all', async () => {
    const member = await signUp(t);
    await setLevel(member, 'TRUSTED');
    await ok(t, SUSPEND, { i: { memberId: member.id, reason: 'Spam links' } }, moderator.token);
    expect(await levelOf(member)).toBe('NEW');
    expect(await auditReasons('TRUST_LEVEL_CHANGED')).toContain('Suspended');
  });

  describe('each level’s privileges', () => {
    it('caps shares a day at the level, saying when the cap resets', async () => {
      const { member, postId } = await sharerWithPost(11);
      const channels = await channelsOf(member, 11);
      const later = { scheduledFor: inSeconds(3600) };
      const all = await share(t, member, postId, channels, later);
      expect(codeOf(all)).toBe('BAD_USER_INPUT');
      expect(all.errors![0]!.extensions.field).toBe('channelIds');
      expect((await share(t, member, postId, channels.slice(0, 10), later)).errors).toBeUndefined();
      const eleventh = await share(t, member, postId, channels.slice(10), later);
      expect(codeOf(eleventh)).toBe('RATE_LIMITED');
      const { retryAfter, resetsAt } = eleventh.errors![0]!.extensions;
      expect(retryAfter).toBeGreaterThan(86_000);
      expect(eleventh.errors![0]!.message).toContain(
        `At trust level NEW you can make 10 shares a day; the next is possible at ${resetsAt}`,
      );
      await setLevel(member, 'BASIC');
      expect((await share(t, member, postId, channels.slice(10), later)).errors).toBeUndefined();
    });

    it('caps posts a day at the level, saying when the cap resets', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      for (let i = 0; i < 3; i++) await submitPost(t, author, niche, { url: page() });
      const fourth = await t.gql(
        SUBMIT,
        { i: { url: page(), nicheId: niche, title: 'Fourth', creditsPerShare: 5, budget: 10 } },
        { token: author.token },
      );
      expect(codeOf(fourth)).toBe('RATE_LIMITED');
      expect(fourth.errors![0]!.message).toMatch(/^At trust level NEW you can make 3 posts a day; the next is possible at /);
      await setLevel(author, 'BASIC');
      expect(
        (
          await t.gql(
            SUBMIT,
            { i: { url: page(), nicheId: niche, title: 'Fourth', creditsPerShare: 5, budget: 10 } },
            { token: author.token },
          )
        ).errors,
      ).toBeUndefined();
    });

    it('refuses more credits per share than the level allows, naming the maximum', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const submit = (creditsPerShare: number) =>
        t.gql(SUBMIT, { i: { url: page(), nicheId: niche, title: 'Generous', creditsPerShare, budget: 100 } }, { token: author.token });
      const res = await submit(11);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions).toMatchObject({ field: 'creditsPerShare', maximum: 10 });
      expect(res.errors![0]!.message).toBe('At trust level NEW a post offers at most 10 credits per share');
      expect((await submit(10)).errors).toBeUndefined();
      await setLevel(author, 'BASIC');
      expect(codeOf(await submit(26))).toBe('BAD_USER_INPUT');
      expect((await submit(25)).errors).toBeUndefined();
    });

    it('approves a TRUSTED member’s post on submission, in the audit log, and a moderator can still reject it', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      await setLevel(author, 'TRUSTED');
      const { submitPost: post } = await ok(
        t,
        SUBMIT,
        { i: { url: page(), nicheId: niche, title: 'Trusted', creditsPerShare: 100, budget: 300 } },
        author.token,
      );
      expect(post.status).toBe('APPROVED');
      expect(await auditReasons('POST_APPROVED_ON_SUBMISSION')).toContain('Posts of TRUSTED members skip review');
      const rejected = await ok(t, MODERATE, { i: { postId: post.id, action: 'REJECT', reason: 'Not about this niche' } }, moderator.token);
      expect(rejected.moderatePost).toEqual({ status: 'REJECTED', rejectionReason: 'Not about this niche' });
      // A post a moderator approved stays approved.
      const reviewed = await approvedPost(t, admin, await signUp(t), niche);
      expect(
        codeOf(await t.gql(MODERATE, { i: { postId: reviewed, action: 'REJECT', reason: 'Changed my mind' } }, { token: moderator.token })),
      ).toBe('CONFLICT');
    });

    it('reviews every post of a member below TRUSTED', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      await setLevel(author, 'MEMBER');
      const id = await submitPost(t, author, niche, { url: page() });
      expect((await ok(t, `query($id: ID!) { node(id: $id) { ... on Post { status } } }`, { id }, author.token)).node.status).toBe(
        'PENDING_REVIEW',
      );
    });
  });

  describe('demotion', () => {
    // Every daily run here is on a day of its own; the database's own times (a rejection) stay where they happened.
    let days = 0;
    const nextDay = () => {
      clock.advanceDays(1);
      days++;
    };
    afterAll(() => clock.advanceDays(-days));

    it('starts the count again when the member meets their level in between', async () => {
      const { member, niche, postId, channels } = await sharerWithPost(3);
      await setLevel(member, 'BASIC', { lock: false });
      // Failing BASIC from the first day on: no shares yet.
      for (let day = 0; day < 5; day++) {
        nextDay();
        await review().daily();
      }
      await sharePosted(member, postId, channels);
      nextDay();
      await review().daily();
      // Meeting BASIC on that day; failing it again from the next, for a post rejected now.
      const own = await submitPost(t, member, niche, { url: page() });
      await ok(t, MODERATE, { i: { postId: own, action: 'REJECT', reason: 'Off topic here' } }, moderator.token);
      for (let day = 0; day < 14; day++) {
        nextDay();
        await review().daily();
        expect(await levelOf(member)).toBe('BASIC');
      }
      nextDay();
      await review().daily();
      expect(await levelOf(member)).toBe('NEW');
    });

    it('demotes only after the member failed their level for 14 days in a row', async () => {
      // At BASIC on their own (unlocked) without the 3 shares BASIC asks for.
      const failingBasic = async () => {
        const member = await signUp(t);
        await setLevel(member, 'BASIC', { lock: false });
        return member;
      };
      const member = await failingBasic();
      const kept = await failingBasic();
      for (let day = 0; day < 14; day++) {
        nextDay();
        expect(await review().daily()).not.toBeNull();
        expect(await levelOf(member)).toBe('BASIC');
      }
      // A second run on the same day does nothing.
      expect(await review().daily()).toBeNull();
      // Locked by an admin, a level is kept whatever the member's history.
      await setLevel(kept, 'BASIC');
      nextDay();
      expect(await review().daily()).toMatchObject({ demoted: 1 });
      expect(await levelOf(member)).toBe('NEW');
      expect(await levelOf(kept)).toBe('BASIC');
      const [reason] = await auditReasons('TRUST_LEVEL_CHANGED');
      expect(reason).toBe(
        "Did not meet the requirements of BASIC for 14 days in a row: Your shares of peers' posts that went out: at least 3 (has 0)",
      );
    });
  });
});

describe('trust levels in a running worker', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({
      worker: true,
      env: {
        TRUST_RULES: JSON.stringify({ levels: { BASIC: { requirements: [{ measure: 'postedShares', atLeast: 1 }] } } }),
        TRUST_REVIEW_SECONDS: '1',
        CHANNEL_MIN_INTERVAL_SECONDS: '0',
      },
    });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('promotes a member within moments of the share that meets the rule', async () => {
    const member = await signUp(t);
    const author = await signUp(t);
    const niche = await nicheWith(t, admin, member, author);
    const postId = await approvedPost(t, admin, author, niche);
    const { connectChannel } = await ok(
      t,
      `mutation($i: ConnectChannelInput!) { connectChannel(input: $i) { channel { id } signingSecret } }`,
      { i: { network: 'WEBHOOK', handle: member.handle, webhookUrl: sink.hookUrl(member.handle) } },
      member.token,
    );
    sink.acceptSecret(connectChannel.signingSecret);
    expect((await share(t, member, postId, [connectChannel.channel.id])).errors).toBeUndefined();
    const level = await eventually(
      async () => (await ok(t, `{ viewer { trust { level } } }`, {}, member.token)).viewer.trust.level,
      (value) => value === 'BASIC',
      60_000,
    );
    expect(level).toBe('BASIC');
  });
});
