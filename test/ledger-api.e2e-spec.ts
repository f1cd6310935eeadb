import { toGlobalId } from '../apps/api/src/graphql/global-id.js';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import {
  approvedPost,
  balanceOf,
  eventually,
  nicheWith,
  ok,
  rawId,
  share,
  shareStatus,
  submitPost,
  webhookChannel,
} from './support/flows.js';
import { codeOf, signInAdmin, signUp, signUpAs, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Entry {
  id: string;
  kind: string;
  amount: number;
  balanceAfter: number;
  memo: string | null;
  createdAt: string;
  post: { id: string } | null;
  share: { id: string; status: string } | null;
}

const ENTRY_FIELDS = 'id kind amount balanceAfter memo createdAt post { id } share { id status }';
const LEDGER = `query($first: Int, $after: String) {
  viewer { ledger(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${ENTRY_FIELDS} } }
  } }
}`;
const ADJUST = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { ${ENTRY_FIELDS} } }`;
const DAY_MS = 86_400_000;

describe('the ledger through the API', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  async function ledgerPage(member: SignedIn, first?: number, after?: string | null) {
    return (await ok(t, LEDGER, { first, after }, member.token)).viewer.ledger as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      edges: Array<{ cursor: string; node: Entry }>;
    };
  }

  /** The member's whole statement, newest first, page by page. */
  async function statementOf(member: SignedIn): Promise<Entry[]> {
    const entries: Entry[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof ledgerPage>> = await ledgerPage(member, 20, after);
      entries.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return entries;
  }

  const adjust = (token: string, input: Record<string, unknown>) => t.gql(ADJUST, { i: input }, { token });

  /** Posts the share and waits until the worker has delivered it and paid the sharer. */
  async function postedShare(sharer: SignedIn, postId: string): Promise<string> {
    const res = await share(t, sharer, postId, [await webhookChannel(t, sharer, sink)]);
    if (res.errors) throw new Error(`share failed: ${JSON.stringify(res.errors)}`);
    const id = res.data!.sharePost[0].id as string;
    await eventually(
      () => shareStatus(t, sharer, id),
      (s) => s.status === 'POSTED',
    );
    return id;
  }

  describe("a member's statement", () => {
    let member: SignedIn;
    let peer: SignedIn;
    let funded: string;
    let rejected: string;
    let peersPost: string;
    let reward: string;

    beforeAll(async () => {
      member = await signUp(t);
      peer = await signUp(t);
      const niche = await nicheWith(t, admin, member, peer);
      funded = await approvedPost(t, admin, member, niche, { creditsPerShare: 10, budget: 50 });
      rejected = await submitPost(t, member, niche, { creditsPerShare: 5, budget: 20 });
      await ok(
        t,
        `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
        { i: { postId: rejected, action: 'REJECT', reason: 'The link is behind a paywall' } },
        admin.token,
      );
      peersPost = await approvedPost(t, admin, peer, niche, { creditsPerShare: 15, budget: 30 });
      reward = await postedShare(member, peersPost);
      // The peer shares the member's post: paid from that post's budget, not from the member's balance.
      await postedShare(peer, funded);
    });

    it('reads like a bank statement, newest first: signup grant, post budgets, a refund and a share reward', async () => {
      const entries = await statementOf(member);
      expect(
        entries.map(({ kind, amount, balanceAfter, memo, post, share }) => ({ kind, amount, balanceAfter, memo, post, share })),
      ).toEqual([
        {
          kind: 'SHARE_REWARD',
          amount: 15,
          balanceAfter: 65,
          memo: 'Shared a post',
          post: { id: peersPost },
          share: { id: reward, status: 'POSTED' },
        },
        { kind: 'CAMPAIGN_REFUND', amount: 20, balanceAfter: 50, memo: 'Unused budget returned', post: { id: rejected }, share: null },
        {
          kind: 'CAMPAIGN_FUNDING',
          amount: -20,
          balanceAfter: 30,
          memo: 'Budget for shares of your post',
          post: { id: rejected },
          share: null,
        },
        {
          kind: 'CAMPAIGN_FUNDING',
          amount: -50,
          balanceAfter: 50,
          memo: 'Budget for shares of your post',
          post: { id: funded },
          share: null,
        },
        { kind: 'SIGNUP_GRANT', amount: 100, balanceAfter: 100, memo: 'Welcome to Sharepool', post: null, share: null },
      ]);
      expect(await balanceOf(t, member)).toBe(65);
      const post = await ok(
        t,
        `query($id: ID!) { node(id: $id) { ... on Post { budgetRemaining shareCount } } }`,
        { id: funded },
        member.token,
      );
      expect(post.node).toEqual({ budgetRemaining: 40, shareCount: 1 });
    });

    it('carries each balance on from the entry before, ending at the credit balance', async () => {
      const oldestFirst = (await statementOf(member)).reverse();
      let balance = 0;
      for (const entry of oldestFirst) {
        balance += entry.amount;
        expect([entry.kind, entry.balanceAfter]).toEqual([entry.kind, balance]);
      }
      for (let i = 1; i < oldestFirst.length; i++) {
        expect(Date.parse(oldestFirst[i]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(oldestFirst[i - 1]!.createdAt));
      }
      expect(balance).toBe(await balanceOf(t, member));
    });

    it('pages through with first and after: every entry once, in order, none skipped', async () => {
      const all = await statementOf(member);
      const pages: Array<Awaited<ReturnType<typeof ledgerPage>>> = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof ledgerPage>> = await ledgerPage(member, 2, after);
        pages.push(page);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(pages.map((p) => p.edges.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((p) => p.edges.map((e) => e.node.id))).toEqual(all.map((e) => e.id));
      expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
      expect(pages.map((p) => p.totalCount)).toEqual([5, 5, 5]);
      for (const p of pages) {
        expect(p.pageInfo.startCursor).toBe(p.edges[0]!.cursor);
        expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
      }
    });

    it('shows each entry to its member only through node(id)', async () => {
      const [newest] = await statementOf(member);
      const read = async (token: string) =>
        (await ok(t, `query($id: ID!) { node(id: $id) { ... on LedgerEntry { ${ENTRY_FIELDS} } } }`, { id: newest!.id }, token)).node;
      expect(await read(member.token)).toEqual(newest);
      expect(await read(peer.token)).toBeNull();
      expect(await read(admin.token)).toBeNull();
    });

    it('counts POSTED shares given and received per week, oldest first, this week last', async () => {
      const { viewer } = await ok(
        t,
        `{ viewer { shareActivity(weeks: 3) { weekStart given received } defaultWeeks: shareActivity { weekStart } } }`,
        {},
        member.token,
      );
      const now = new Date();
      const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
      expect(viewer.shareActivity).toEqual([
        { weekStart: new Date(monday - 14 * DAY_MS).toISOString(), given: 0, received: 0 },
        { weekStart: new Date(monday - 7 * DAY_MS).toISOString(), given: 0, received: 0 },
        { weekStart: new Date(monday).toISOString(), given: 1, received: 1 },
      ]);
      expect(viewer.defaultWeeks).toHaveLength(12);
      expect(viewer.defaultWeeks.at(-1).weekStart).toBe(new Date(monday).toISOString());
    });
  });

  describe('paging while entries are added', () => {
    it('keeps its place when new entries arrive between pages: no entry twice, none skipped', async () => {
      const member = await signUp(t);
      for (const amount of [1, 2, 3]) await ok(t, ADJUST, { i: { memberId: member.id, amount, reason: `Top-up ${amount}` } }, admin.token);
      const before = (await statementOf(member)).map((e) => e.id);
      expect(before).toHaveLength(4);

      const first = await ledgerPage(member, 2);
      await ok(t, ADJUST, { i: { memberId: member.id, amount: 4, reason: 'Arrived between pages' } }, admin.token);
      const second = await ledgerPage(member, 2, first.pageInfo.endCursor);
      const third = await ledgerPage(member, 2, second.pageInfo.endCursor);

      expect([...first.edges, ...second.edges, ...third.edges].map((e) => e.node.id)).toEqual(before);
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect(third.edges).toEqual([]);
      const now = (await statementOf(member)).map((e) => e.id);
      expect(now.slice(1)).toEqual(before);
      expect((await ledgerPage(member, 1)).edges[0]!.node).toMatchObject({ amount: 4, balanceAfter: 110, memo: 'Arrived between pages' });
    });
  });

  describe('page arguments', () => {
    const IDS = `query($first: Int) { viewer { ledger(first: $first) { nodes { id } } } }`;

    it.each([0, -1, 101, 1000])('refuses first: %i as BAD_USER_INPUT on first', async (first) => {
      const member = await signUp(t);
      const res = await t.gql(IDS, { first }, { token: member.token });
      expect([codeOf(res), res.errors?.[0]?.extensions.field]).toEqual(['BAD_USER_INPUT', 'first']);
    });

    it('accepts first from 1 to 100', async () => {
      const member = await signUp(t);
      for (const first of [1, 100]) expect((await ok(t, IDS, { first }, member.token)).viewer.ledger.nodes).toHaveLength(1);
    });

    it("refuses a cursor that is not one of this list's as BAD_USER_INPUT on after", async () => {
      const member = await signUp(t);
      const postsCursor = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000000Z', member.id])).toString('base64url');
      for (const after of ['not a cursor', postsCursor]) {
        const res = await t.gql(LEDGER, { first: 5, after }, { token: member.token });
        expect([after, codeOf(res), res.errors?.[0]?.extensions.field]).toEqual([after, 'BAD_USER_INPUT', 'after']);
      }
    });
  });

  describe('adjustCredits', () => {
    it('lets an admin add credits: an ADJUSTMENT entry with the reason as its memo', async () => {
      const member = await signUp(t);
      const res = await adjust(admin.token, { memberId: member.id, amount: 25, reason: '  Refund for a broken share  ' });
      expect(res.errors).toBeUndefined();
      const entry = res.data!.adjustCredits as Entry;
      expect(entry).toMatchObject({ kind: 'ADJUSTMENT', amount: 25, balanceAfter: 125, memo: 'Refund for a broken share', post: null });
      expect(await balanceOf(t, member)).toBe(125);
      expect((await statementOf(member))[0]).toEqual(entry);
    });

    it('lets an admin take credits back, down to zero', async () => {
      const member = await signUp(t);
      const res = await adjust(admin.token, { memberId: member.id, amount: -40, reason: 'Reversing a duplicate grant' });
      expect(res.data!.adjustCredits).toMatchObject({ kind: 'ADJUSTMENT', amount: -40, balanceAfter: 60 });
      const rest = await adjust(admin.token, { memberId: member.id, amount: -60, reason: 'Closing the account' });
      expect(rest.data!.adjustCredits).toMatchObject({ amount: -60, balanceAfter: 0 });
      expect(await balanceOf(t, member)).toBe(0);
    });

    it('refuses to take more than the member has: INSUFFICIENT_CREDITS with the available amount, and no trace', async () => {
      const member = await signUp(t);
      const niche = await nicheWith(t, admin, member);
      await submitPost(t, member, niche, { creditsPerShare: 10, budget: 30 });
      const audited = async () =>
        Number(
          (
            await t.sql.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'CREDITS_ADJUSTED' AND target_id = $1`, [
              rawId(member.id),
            ])
          ).rows[0].n,
        );

      const res = await adjust(admin.token, { memberId: member.id, amount: -71, reason: 'Clawback of a disputed reward' });
      expect(codeOf(res)).toBe('INSUFFICIENT_CREDITS');
      expect(res.errors![0]!.extensions).toMatchObject({ available: 70, requested: 71 });
      expect(await balanceOf(t, member)).toBe(70);
      expect((await statementOf(member)).map((e) => e.kind)).toEqual(['CAMPAIGN_FUNDING', 'SIGNUP_GRANT']);
      expect(await audited()).toBe(0);
    });

    it.each([
      ['an empty reason', { reason: '   ' }, 'reason'],
      ['a reason under 3 characters', { reason: 'ok' }, 'reason'],
      ['a reason over 500 characters', { reason: 'r'.repeat(501) }, 'reason'],
      ['no reason at all', { reason: undefined }, 'reason'],
      ['an amount of 0', { amount: 0 }, 'amount'],
      ['an amount over a million', { amount: 1_000_001 }, 'amount'],
      ['an id that is not a member id', { memberId: toGlobalId('Post', '00000000-0000-4000-8000-000000000000') }, 'memberId'],
    ])('refuses %s as BAD_USER_INPUT on %s', async (_what, change, field) => {
      const member = await signUp(t);
      const res = await adjust(admin.token, { memberId: member.id, amount: 10, reason: 'A good reason', ...change });
      expect([codeOf(res), res.errors?.[0]?.extensions.field]).toEqual(['BAD_USER_INPUT', field]);
      expect(await balanceOf(t, member)).toBe(100);
    });

    it('answers NOT_FOUND for a member that does not exist', async () => {
      const res = await adjust(admin.token, {
        memberId: toGlobalId('Member', '00000000-0000-4000-8000-00000000beef'),
        amount: 10,
        reason: 'Nobody there',
      });
      expect(codeOf(res)).toBe('NOT_FOUND');
    });

    it('is refused to members and moderators with FORBIDDEN', async () => {
      const member = await signUp(t);
      const moderator = await signUpAs(t, admin, 'MODERATOR');
      for (const who of [member, moderator]) {
        const res = await adjust(who.token, { memberId: member.id, amount: 1000, reason: 'Treating myself' });
        expect(codeOf(res)).toBe('FORBIDDEN');
      }
      expect(await balanceOf(t, member)).toBe(100);
    });

    it('records in the audit log which admin adjusted whose credits, by how much and why', async () => {
      const member = await signUp(t);
      const entry = (await ok(t, ADJUST, { i: { memberId: member.id, amount: -15, reason: 'Duplicate reward' } }, admin.token))
        .adjustCredits;
      const { auditLog } = await ok(
        t,
        `{ auditLog(first: 1) { nodes { action actor { id } targetType targetId reason } } }`,
        {},
        admin.token,
      );
      expect(auditLog.nodes).toEqual([
        { action: 'CREDITS_ADJUSTED', actor: { id: admin.id }, targetType: 'Member', targetId: member.id, reason: 'Duplicate reward' },
      ]);
      const { rows } = await t.sql.query(`SELECT details FROM audit_log WHERE action = 'CREDITS_ADJUSTED' AND target_id = $1`, [
        rawId(member.id),
      ]);
      expect(rows).toEqual([{ details: { amount: -15, transferId: expect.any(String) } }]);
      expect(entry.memo).toBe('Duplicate reward');
    });
  });

  describe('creditHistory', () => {
    it("charts the balance day by day, oldest first, ending at today's balance", async () => {
      const member = await signUp(t);
      await ok(t, ADJUST, { i: { memberId: member.id, amount: 7, reason: 'Welcome bonus' } }, admin.token);
      const { viewer } = await ok(
        t,
        `{ viewer { creditBalance creditHistory(days: 7) { day balance } defaultDays: creditHistory { day } } }`,
        {},
        member.token,
      );
      const now = new Date();
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      // Signed up today: nothing on the days before.
      expect(viewer.creditHistory).toEqual(
        [6, 5, 4, 3, 2, 1, 0].map((ago) => ({ day: new Date(today - ago * DAY_MS).toISOString(), balance: ago === 0 ? 107 : 0 })),
      );
      expect(viewer.creditBalance).toBe(107);
      expect(viewer.defaultDays).toHaveLength(30);
    });

    it.each([
      ['creditHistory(days: 0) { day }', 'days'],
      ['creditHistory(days: 367) { day }', 'days'],
      ['shareActivity(weeks: 0) { weekStart }', 'weeks'],
      ['shareActivity(weeks: 105) { weekStart }', 'weeks'],
    ])('refuses %s as BAD_USER_INPUT on %s', async (selection, field) => {
      const member = await signUp(t);
      const res = await t.gql(`{ viewer { ${selection} } }`, {}, { token: member.token });
      expect([codeOf(res), res.errors?.[0]?.extensions.field]).toEqual(['BAD_USER_INPUT', field]);
    });
  });
});
