import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../apps/api/src/graphql/global-id.js';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import {
  approve,
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

const QUEUE = `query($first: Int, $after: String) {
  moderationQueue(first: $first, after: $after) { totalCount nodes { id status } pageInfo { hasNextPage endCursor } } }`;
const MODERATE = `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { id status rejectionReason budgetRemaining } }`;
const AUDIT = `query($first: Int, $after: String) {
  auditLog(first: $first, after: $after) {
    nodes { id action targetType targetId reason createdAt actor { handle } }
    pageInfo { hasNextPage endCursor } } }`;
const PAUSE = `mutation($i: PauseSharingInput!) {
  pauseSharing(input: $i) { id scope reason createdAt post { id } niche { id } pausedBy { handle } } }`;
const RESUME = `mutation($i: ResumeSharingInput!) { resumeSharing(input: $i) { id scope reason } }`;
const PAUSES = `{ sharingPauses { id scope reason post { id } niche { id } pausedBy { handle } } }`;

interface AuditEntry {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  createdAt: string;
  actor: { handle: string } | null;
}

describe('moderation and the disaster switch', () => {
  let t: TestApp;
  let admin: SignedIn;
  let moderator: SignedIn;
  let sink: WebhookSinkFake;

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
    moderator = await signUpAs(t, admin, 'MODERATOR');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Every post id in the review queue, in its order, walking pages of `first`. */
  async function queueIds(reader: SignedIn, first: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { moderationQueue }: Record<string, any> = await ok(t, QUEUE, { first, after }, reader.token);
      ids.push(...moderationQueue.nodes.map((p: { id: string }) => p.id));
      if (!moderationQueue.pageInfo.hasNextPage) return ids;
      after = moderationQueue.pageInfo.endCursor;
    }
  }

  /** The newest audit entries. */
  const latestAudit = async (n: number): Promise<AuditEntry[]> => (await ok(t, AUDIT, { first: n }, admin.token)).auditLog.nodes;

  /** The whole audit trail, newest first, walking pages of `first`; `between` runs after the first page. */
  async function wholeAudit(first: number, between?: () => Promise<unknown>): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let after: string | null = null;
    for (;;) {
      const { auditLog }: Record<string, any> = await ok(t, AUDIT, { first, after }, admin.token);
      entries.push(...auditLog.nodes);
      if (!auditLog.pageInfo.hasNextPage) return entries;
      if (after === null) await between?.();
      after = auditLog.pageInfo.endCursor;
    }
  }

  describe('the review queue', () => {
    it('lists the posts awaiting review, oldest first, page by page', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await submitPost(t, author, niche, { creditsPerShare: 10, budget: 10 }));
      await approve(t, moderator, ids[1]!);
      await ok(t, `mutation($id: ID!) { withdrawPost(id: $id) { id } }`, { id: ids[3] }, author.token);

      const expected = [ids[0], ids[2], ids[4]];
      const all = await queueIds(moderator, 100);
      expect(all.filter((id) => ids.includes(id))).toEqual(expected);
      expect(await queueIds(admin, 2)).toEqual(all);
      const { moderationQueue } = await ok(t, QUEUE, { first: 1 }, moderator.token);
      expect(moderationQueue.totalCount).toBe(all.length);
      expect(moderationQueue.nodes[0].status).toBe('PENDING_REVIEW');
    });

    it('is for moderators and admins only', async () => {
      const member = await signUp(t);
      expect(codeOf(await t.gql(QUEUE, {}, { token: member.token }))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(QUEUE, {}))).toBe('UNAUTHENTICATED');
    });

    it('accepts first from 1 to 100 only', async () => {
      for (const first of [0, 101]) {
        const res = await t.gql(QUEUE, { first }, { token: moderator.token });
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0]!.extensions.field).toBe('first');
      }
    });
  });

  describe('moderating a post', () => {
    it('approves a post, which opens it for sharing', async () => {
      const author = await signUp(t);
      const peer = await signUp(t);
      const niche = await nicheWith(t, admin, author, peer);
      const postId = await submitPost(t, author, niche);
      const res = await ok(t, MODERATE, { i: { postId, action: 'APPROVE' } }, moderator.token);
      expect(res.moderatePost).toMatchObject({ id: postId, status: 'APPROVED', rejectionReason: null, budgetRemaining: 50 });
      expect((await ok(t, `{ shareFeed { nodes { id } } }`, {}, peer.token)).shareFeed.nodes).toEqual([{ id: postId }]);
      expect(await queueIds(moderator, 100)).not.toContain(postId);
    });

    it('rejects a post with a reason the author reads, and returns its budget', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const postId = await submitPost(t, author, niche, { budget: 60 });
      expect(await balanceOf(t, author)).toBe(40);
      const res = await ok(t, MODERATE, { i: { postId, action: 'REJECT', reason: 'The link is broken' } }, moderator.token);
      expect(res.moderatePost).toMatchObject({ status: 'REJECTED', rejectionReason: 'The link is broken', budgetRemaining: 0 });
      const mine = await ok(t, `{ viewer { posts(status: REJECTED) { nodes { id rejectionReason } } } }`, {}, author.token);
      expect(mine.viewer.posts.nodes).toEqual([{ id: postId, rejectionReason: 'The link is broken' }]);
      expect(await balanceOf(t, author)).toBe(100);
    });

    it.each([
      ['no reason', undefined],
      ['an empty reason', '   '],
      ['a reason of 2 characters', 'no'],
      ['a reason of 501 characters', 'x'.repeat(501)],
    ])('refuses to reject with %s (BAD_USER_INPUT on reason)', async (_what, reason) => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const postId = await submitPost(t, author, niche);
      const res = await t.gql(MODERATE, { i: { postId, action: 'REJECT', reason } }, { token: moderator.token });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe('reason');
      expect(await queueIds(moderator, 100)).toContain(postId);
    });

    it('takes reasons of 3 and of 500 characters', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      for (const reason of ['Dup', 'y'.repeat(500)]) {
        const postId = await submitPost(t, author, niche);
        const res = await ok(t, MODERATE, { i: { postId, action: 'REJECT', reason } }, moderator.token);
        expect(res.moderatePost.rejectionReason).toBe(reason);
      }
    });

    it('refuses to moderate a post twice, or a withdrawn one, with CONFLICT', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const approved = await approvedPost(t, moderator, author, niche);
      const rejected = await submitPost(t, author, niche);
      await ok(t, MODERATE, { i: { postId: rejected, action: 'REJECT', reason: 'Spam' } }, moderator.token);
      const withdrawn = await submitPost(t, author, niche);
      await ok(t, `mutation($id: ID!) { withdrawPost(id: $id) { id } }`, { id: withdrawn }, author.token);
      for (const postId of [approved, rejected, withdrawn]) {
        for (const i of [
          { postId, action: 'APPROVE' },
          { postId, action: 'REJECT', reason: 'Second thoughts' },
        ]) {
          expect(codeOf(await t.gql(MODERATE, { i }, { token: admin.token }))).toBe('CONFLICT');
        }
      }
    });

    it('is for moderators and admins only', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const postId = await submitPost(t, author, niche);
      expect(codeOf(await t.gql(MODERATE, { i: { postId, action: 'APPROVE' } }, { token: author.token }))).toBe('FORBIDDEN');
      const peer = await signUp(t);
      expect(codeOf(await t.gql(MODERATE, { i: { postId, action: 'APPROVE' } }, { token: peer.token }))).toBe('FORBIDDEN');
      expect((await ok(t, MODERATE, { i: { postId, action: 'APPROVE' } }, admin.token)).moderatePost.status).toBe('APPROVED');
    });
  });

  describe('the audit trail', () => {
    it('records each moderation with who, what, on what, why and when', async () => {
      const author = await signUp(t);
      const niche = await nicheWith(t, admin, author);
      const approved = await submitPost(t, author, niche);
      const rejected = await submitPost(t, author, niche);
      const before = Date.now();
      await approve(t, moderator, approved);
      await ok(t, MODERATE, { i: { postId: rejected, action: 'REJECT', reason: 'Paywalled page' } }, moderator.token);
      const [rejection, approval] = await latestAudit(2);
      expect(rejection).toMatchObject({
        action: 'POST_REJECTED',
        targetType: 'Post',
        targetId: rejected,
        reason: 'Paywalled page',
        actor: { handle: moderator.handle },
      });
      expect(approval).toMatchObject({
        action: 'POST_APPROVED',
        targetType: 'Post',
        targetId: approved,
        actor: { handle: moderator.handle },
      });
      expect(Date.parse(rejection!.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(rejection!.createdAt)).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('records admin and moderator actions on members, roles, credits and niches', async () => {
      const member = await signUp(t);
      const adjust = `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`;
      await ok(t, adjust, { i: { memberId: member.id, amount: 15, reason: 'Thanks for the bug report' } }, admin.token);
      const suspend = `mutation($i: SuspendMemberInput!) { suspendMember(input: $i) { status } }`;
      await ok(t, suspend, { i: { memberId: member.id, reason: 'Posting spam links' } }, moderator.token);
      const reinstate = `mutation($i: ReinstateMemberInput!) { reinstateMember(input: $i) { status } }`;
      await ok(t, reinstate, { i: { memberId: member.id, reason: 'Appeal accepted' } }, moderator.token);
      await ok(
        t,
        `mutation($i: SetRoleInput!) { setRole(input: $i) { role } }`,
        { i: { memberId: member.id, role: 'MODERATOR' } },
        admin.token,
      );
      const niche = await nicheWith(t, admin);

      const [created, promoted, reinstated, suspended, adjusted] = await latestAudit(5);
      const byAdmin = { actor: { handle: admin.handle } };
      const byModerator = { actor: { handle: moderator.handle } };
      expect(adjusted).toMatchObject({
        action: 'CREDITS_ADJUSTED',
        targetType: 'Member',
        targetId: member.id,
        reason: 'Thanks for the bug report',
        ...byAdmin,
      });
      expect(suspended).toMatchObject({ action: 'MEMBER_SUSPENDED', targetId: member.id, reason: 'Posting spam links', ...byModerator });
      expect(reinstated).toMatchObject({ action: 'MEMBER_REINSTATED', targetId: member.id, reason: 'Appeal accepted', ...byModerator });
      expect(promoted).toMatchObject({ action: 'ROLE_CHANGED', targetType: 'Member', targetId: member.id, ...byAdmin });
      expect(created).toMatchObject({ action: 'NICHE_CREATED', targetType: 'Niche', targetId: niche, ...byAdmin });
    });

    it('pages newest first with keyset cursors, without gaps or repeats', async () => {
      const everything = await wholeAudit(50);
      expect(everything.length).toBeGreaterThan(10);
      const times = everything.map((e) => Date.parse(e.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      // An action between pages lands before the cursor: the walk goes on where it was.
      const walked = await wholeAudit(3, () => nicheWith(t, admin));
      expect(walked.map((e) => e.id)).toEqual(everything.map((e) => e.id));
      expect((await latestAudit(1))[0]!.action).toBe('NICHE_CREATED');
    });

    it('is for admins only', async () => {
      const member = await signUp(t);
      expect(codeOf(await t.gql(AUDIT, {}, { token: member.token }))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(AUDIT, {}, { token: moderator.token }))).toBe('FORBIDDEN');
    });

    it('cannot be changed or deleted, even by SQL', async () => {
      await expect(t.sql.query(`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.sql.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.sql.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      expect((await latestAudit(1)).length).toBe(1);
    });
  });

  describe('the disaster switch', () => {
    /** An author and a sharer in a new niche, an approved post of the author's, and the sharer's webhook channel. */
    async function scene(creditsPerShare = 10) {
      const author = await signUp(t);
      const sharer = await signUp(t);
      const niche = await nicheWith(t, admin, author, sharer);
      const postId = await approvedPost(t, admin, author, niche, { creditsPerShare });
      const channel = await webhookChannel(t, sharer, sink);
      return { author, sharer, niche, postId, channel };
    }

    const feedIds = async (member: SignedIn) =>
      (await ok(t, `{ shareFeed(first: 100) { nodes { id } } }`, {}, member.token)).shareFeed.nodes.map((p: { id: string }) => p.id);

    it('pauses one post: its new shares are refused with the reason, it leaves the feed, admins see the pause; resume undoes it', async () => {
      const s = await scene();
      const other = await approvedPost(t, admin, s.author, s.niche);
      const pause = await ok(t, PAUSE, { i: { scope: 'POST', postId: s.postId, reason: 'Reported as a scam' } }, admin.token);
      expect(pause.pauseSharing).toMatchObject({
        scope: 'POST',
        reason: 'Reported as a scam',
        post: { id: s.postId },
        niche: null,
        pausedBy: { handle: admin.handle },
      });

      const refused = await share(t, s.sharer, s.postId, [s.channel]);
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(refused.errors![0]!.message).toBe('Sharing of this post is paused by the admins: Reported as a scam');
      expect(refused.errors![0]!.extensions.pausedScope).toBe('POST');
      expect(await feedIds(s.sharer)).toEqual([other]);
      const seen = await ok(t, `query($id: ID!) { node(id: $id) { ... on Post { sharingPaused } } }`, { id: s.postId }, s.sharer.token);
      expect(seen.node.sharingPaused).toBe(true);
      expect((await ok(t, PAUSES, {}, admin.token)).sharingPauses).toContainEqual(
        expect.objectContaining({ id: pause.pauseSharing.id, scope: 'POST', post: { id: s.postId } }),
      );

      const resumed = await ok(t, RESUME, { i: { scope: 'POST', postId: s.postId, reason: 'Checked: it is fine' } }, admin.token);
      expect(resumed.resumeSharing).toMatchObject({ id: pause.pauseSharing.id, scope: 'POST' });
      expect((await ok(t, PAUSES, {}, admin.token)).sharingPauses.map((p: { id: string }) => p.id)).not.toContain(pause.pauseSharing.id);
      expect((await feedIds(s.sharer)).sort()).toEqual([s.postId, other].sort());
      expect((await share(t, s.sharer, s.postId, [s.channel])).errors).toBeUndefined();
    });

    it('holds shares already scheduled in a paused niche and delivers them after the resume', async () => {
      const paused = await scene();
      const control = await scene();
      const dueAt = Date.now() + 2000;
      const waiting = await share(t, paused.sharer, paused.postId, [paused.channel], { scheduledFor: new Date(dueAt).toISOString() });
      const free = await share(t, control.sharer, control.postId, [control.channel], { scheduledFor: new Date(dueAt).toISOString() });
      const waitingId = waiting.data!.sharePost[0].id;
      const freeId = free.data!.sharePost[0].id;
      await ok(t, PAUSE, { i: { scope: 'NICHE', nicheId: paused.niche, reason: 'Account takeover in this niche' } }, admin.token);

      // The share in the other niche goes out on time; the paused one stays scheduled past its time.
      await eventually(
        () => shareStatus(t, control.sharer, freeId),
        (st) => st.status === 'POSTED',
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt + 2500 - Date.now())));
      expect((await shareStatus(t, paused.sharer, waitingId)).status).toBe('SCHEDULED');
      expect(sink.timesReceived(rawId(waitingId))).toBe(0);
      const newcomer = await approvedPost(t, admin, paused.author, paused.niche);
      const refused = await share(t, paused.sharer, newcomer, [paused.channel]);
      expect(refused.errors![0]!.message).toBe('Sharing in this niche is paused by the admins: Account takeover in this niche');
      expect(await feedIds(paused.sharer)).toEqual([]);

      const resumedAt = Date.now();
      await ok(t, RESUME, { i: { scope: 'NICHE', nicheId: paused.niche, reason: 'Passwords reset' } }, admin.token);
      const done = await eventually(
        () => shareStatus(t, paused.sharer, waitingId),
        (st) => st.status === 'POSTED',
      );
      const wokenAfterMs = Date.now() - resumedAt;
      expect(done.creditsEarned).toBe(10);
      expect(sink.timesReceived(rawId(waitingId))).toBe(1);
      expect(await feedIds(paused.sharer)).toEqual([newcomer]);
      // Woken by the resume itself, not by the sweeper's look for long-overdue shares.
      expect(wokenAfterMs).toBeLessThan(5000);
    });

    it('pauses everything at once, and resumes', async () => {
      const a = await scene();
      const b = await scene();
      await ok(t, PAUSE, { i: { scope: 'EVERYTHING', reason: 'Bad news event: stop all posting' } }, admin.token);
      try {
        for (const s of [a, b]) {
          const res = await share(t, s.sharer, s.postId, [s.channel]);
          expect(codeOf(res)).toBe('CONFLICT');
          expect(res.errors![0]!.message).toBe('All sharing is paused by the admins: Bad news event: stop all posting');
          expect(await feedIds(s.sharer)).toEqual([]);
        }
        expect((await ok(t, PAUSES, {}, admin.token)).sharingPauses).toContainEqual(
          expect.objectContaining({ scope: 'EVERYTHING', post: null, niche: null }),
        );
      } finally {
        await ok(t, RESUME, { i: { scope: 'EVERYTHING', reason: 'All clear' } }, admin.token);
      }
      expect(await feedIds(a.sharer)).toEqual([a.postId]);
      const res = await share(t, a.sharer, a.postId, [a.channel]);
      expect(res.errors).toBeUndefined();
      await eventually(
        () => shareStatus(t, a.sharer, res.data!.sharePost[0].id),
        (st) => st.status === 'POSTED',
      );
    });

    it('refuses to pause what is paused already, or to resume what is not paused, with CONFLICT', async () => {
      const s = await scene();
      await ok(t, PAUSE, { i: { scope: 'POST', postId: s.postId, reason: 'Checking a report' } }, admin.token);
      expect(codeOf(await t.gql(PAUSE, { i: { scope: 'POST', postId: s.postId, reason: 'Again' } }, { token: admin.token }))).toBe(
        'CONFLICT',
      );
      await ok(t, RESUME, { i: { scope: 'POST', postId: s.postId, reason: 'Report checked' } }, admin.token);
      expect(codeOf(await t.gql(RESUME, { i: { scope: 'POST', postId: s.postId, reason: 'Again' } }, { token: admin.token }))).toBe(
        'CONFLICT',
      );
      expect(codeOf(await t.gql(RESUME, { i: { scope: 'NICHE', nicheId: s.niche, reason: 'Never paused' } }, { token: admin.token }))).toBe(
        'CONFLICT',
      );
    });

    it.each([
      [{ scope: 'POST', reason: 'No post named' }, 'postId'],
      [{ scope: 'NICHE', reason: 'No niche named' }, 'nicheId'],
      [{ scope: 'EVERYTHING', reason: 'x' }, 'reason'],
      [{ scope: 'EVERYTHING', reason: 'y'.repeat(501) }, 'reason'],
    ])('refuses a pause of %j with BAD_USER_INPUT on %s', async (input, field) => {
      const res = await t.gql(PAUSE, { i: input }, { token: admin.token });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions.field).toBe(field);
    });

    it('refuses to pause a post that does not exist with NOT_FOUND', async () => {
      const res = await t.gql(
        PAUSE,
        { i: { scope: 'POST', postId: toGlobalId('Post', randomUUID()), reason: 'Ghost post' } },
        { token: admin.token },
      );
      expect(codeOf(res)).toBe('NOT_FOUND');
    });

    it('refuses a pause of everything that names a post', async () => {
      const s = await scene();
      const res = await t.gql(PAUSE, { i: { scope: 'EVERYTHING', postId: s.postId, reason: 'Mixed up' } }, { token: admin.token });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect((await ok(t, PAUSES, {}, admin.token)).sharingPauses).toEqual([]);
    });

    it('is for admins only', async () => {
      const s = await scene();
      for (const who of [s.sharer, moderator]) {
        expect(
          codeOf(await t.gql(PAUSE, { i: { scope: 'POST', postId: s.postId, reason: 'Not mine to pause' } }, { token: who.token })),
        ).toBe('FORBIDDEN');
        expect(codeOf(await t.gql(RESUME, { i: { scope: 'EVERYTHING', reason: 'Not mine to resume' } }, { token: who.token }))).toBe(
          'FORBIDDEN',
        );
        expect(codeOf(await t.gql(PAUSES, {}, { token: who.token }))).toBe('FORBIDDEN');
      }
    });

    it('writes every pause and resume to the audit trail with its reason', async () => {
      const s = await scene();
      await ok(t, PAUSE, { i: { scope: 'NICHE', nicheId: s.niche, reason: 'Audit me' } }, admin.token);
      await ok(t, RESUME, { i: { scope: 'NICHE', nicheId: s.niche, reason: 'Audited' } }, admin.token);
      const [resumed, paused] = await latestAudit(2);
      expect(paused).toMatchObject({
        action: 'SHARING_PAUSED',
        targetType: 'Niche',
        targetId: s.niche,
        reason: 'Audit me',
        actor: { handle: admin.handle },
      });
      expect(resumed).toMatchObject({ action: 'SHARING_RESUMED', targetType: 'Niche', targetId: s.niche, reason: 'Audited' });
    });
  });
});
