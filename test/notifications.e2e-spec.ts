import { ChannelsService } from '@sharepool/channels';
import { TransactionRunner } from '@sharepool/database';
import { NotificationMailer } from '@sharepool/mail';
import { NotificationsService } from '@sharepool/notifications';
import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, balanceOf, eventually, nicheWith, ok, rawId, share, submitPost, webhookChannel } from './support/flows.js';
import { codeOf, logIn, signInAdmin, type SignedIn } from './support/members.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PUBLIC_URL = 'http://sharepool.test';
const GRANT = 100;
const PASSWORD = 'a long and unusual passphrase';
const SIGN_UP = `mutation($input: RegisterInput!) { signUp(input: $input) { verificationRequired auth { accessToken } } }`;
const NOTIFICATIONS = `query($first: Int, $after: String, $unreadOnly: Boolean) { viewer { unreadNotifications
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id kind message readAt post { id } share { id status } peer { handle } } } } }`;

/** The link of `mail` that starts with PUBLIC_URL + `path`, as a path on the test app. */
function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`${PUBLIC_URL}(${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9._~%-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1]!;
}

describe('notifications and email', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let sink: WebhookSinkFake;
  let admin: SignedIn;
  let count = 0;

  /** Signs up, opens the verification link from the mail, signs in. */
  async function verifiedMember(): Promise<SignedIn> {
    const handle = `live_${Date.now().toString(36)}${count++}`;
    const email = `${handle}@example.com`;
    await ok(t, SIGN_UP, { input: { email, password: PASSWORD, handle, displayName: `Member ${handle}` } });
    const [mail] = await smtp.waitFor(email);
    expect((await t.http.get(linkIn(mail!, '/auth/verify-email'))).status).toBe(200);
    const res = await logIn(t, email, PASSWORD);
    const p = res.data!.login;
    return { id: p.viewer.member.id, handle, email, password: PASSWORD, token: p.accessToken, refreshToken: p.refreshToken };
  }

  const notificationsOf = async (member: SignedIn, variables: Record<string, unknown> = {}) =>
    (await ok(t, NOTIFICATIONS, variables, member.token)).viewer;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sink = await startWebhookSink();
    t = await startTestApp({
      worker: true,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Sharepool <no-reply@sharepool.test>',
        PUBLIC_URL,
        EMAIL_VERIFICATION: 'required',
        SIGNUP_GRANT: String(GRANT),
        CHANNEL_MIN_INTERVAL_SECONDS: '0',
      },
    });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
    await smtp?.stop();
  });

  describe('email verification', () => {
    it('credits the signup grant once the address is confirmed, and only once', async () => {
      const input = { email: 'newcomer@example.com', password: PASSWORD, handle: 'newcomer', displayName: 'Newcomer' };
      expect((await ok(t, SIGN_UP, { input })).signUp).toEqual({ verificationRequired: true, auth: null });
      const [mail] = await smtp.waitFor(input.email);
      expect(mail!.subject).toBe('Confirm your email address for Sharepool');
      expect(mail!.from).toBe('no-reply@sharepool.test');
      expect(mail!.text).toMatch(/Confirm my address: http:\/\/sharepool\.test\/auth\/verify-email\?token=/);

      // Signed in before confirming: no credits yet.
      const before = (await logIn(t, input.email, PASSWORD)).data!.login;
      const member = { token: before.accessToken } as SignedIn;
      expect(await balanceOf(t, member)).toBe(0);
      expect((await ok(t, `{ viewer { emailVerified } }`, {}, member.token)).viewer.emailVerified).toBe(false);

      const link = linkIn(mail!, '/auth/verify-email');
      const page = await t.http.get(link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Your welcome credits are in your wallet');
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(await balanceOf(t, member)).toBe(GRANT);
      // The link again, and the mutation with its token: confirmed already, nothing more is credited.
      expect((await t.http.get(link)).status).toBe(200);
      const token = decodeURIComponent(link.split('token=')[1]!);
      expect((await ok(t, `mutation($t: String!) { verifyEmail(token: $t) }`, { t: token })).verifyEmail).toBe(true);
      expect(await balanceOf(t, member)).toBe(GRANT);
      expect((await ok(t, `{ viewer { emailVerified } }`, {}, member.token)).viewer.emailVerified).toBe(true);
    });

    it('refuses a forged or altered link', async () => {
      const res = await t.http.get('/auth/verify-email?token=eyJtIjoiMSJ9.forged');
      expect(res.status).toBe(400);
      expect(res.text).toContain('This link is not valid or has expired');
      const mutation = await t.gql(`mutation { verifyEmail(token: "x.y") }`);
      expect(codeOf(mutation)).toBe('BAD_USER_INPUT');
    });

    it('answers a sign-up with a taken email exactly like a new one, and tells the owner instead', async () => {
      const owner = await verifiedMember();
      const members = async () => Number((await t.sql.query(`SELECT count(*) AS n FROM members`)).rows[0].n);
      const before = await members();
      const again = await t.gql(SIGN_UP, { input: { email: owner.email, password: PASSWORD, handle: 'someone_else', displayName: 'X' } });
      const fresh = await t.gql(SIGN_UP, {
        input: { email: 'fresh@example.com', password: PASSWORD, handle: 'fresh_one', displayName: 'X' },
      });
      expect(again).toEqual(fresh);
      expect(again.data).toEqual({ signUp: { verificationRequired: true, auth: null } });
      expect(await members()).toBe(before + 1);
      const mails = await smtp.waitFor(owner.email, 2);
      expect(mails[1]!.subject).toBe('Someone tried to sign up with your email address');
      expect(mails[1]!.text).toContain(`already belongs to your account @${owner.handle}`);
      // A taken handle is CONFLICT for everyone: handles are public.
      const taken = await t.gql(SIGN_UP, {
        input: { email: 'other@example.com', password: PASSWORD, handle: owner.handle, displayName: 'X' },
      });
      expect(codeOf(taken)).toBe('CONFLICT');
    });

    it('answers the contract’s register with FORBIDDEN (verificationRequired) where addresses are verified', async () => {
      const res = await t.gql(`mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`, {
        input: { email: 'contract@example.com', password: PASSWORD, handle: 'contract_user', displayName: 'X' },
      });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', verificationRequired: true });
      expect(res.errors![0]!.message).toBe('We sent a link to contract@example.com: open it to confirm the address, then sign in.');
      await smtp.waitFor('contract@example.com');
    });
  });

  describe('in the app', () => {
    let author: SignedIn;
    let sharer: SignedIn;
    let niche: string;

    beforeAll(async () => {
      author = await verifiedMember();
      sharer = await verifiedMember();
      niche = await nicheWith(t, admin, author, sharer);
    });

    it('tells an author their post was approved, or not with the reason, newest first and paginated', async () => {
      const approved = await submitPost(t, author, niche, { title: 'Ten tips' });
      await ok(
        t,
        `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
        { i: { postId: approved, action: 'APPROVE' } },
        admin.token,
      );
      const rejected = await submitPost(t, author, niche, { title: 'Spam' });
      await ok(
        t,
        `mutation($i: ModeratePostInput!) { moderatePost(input: $i) { status } }`,
        { i: { postId: rejected, action: 'REJECT', reason: 'The page is an advert' } },
        admin.token,
      );
      const first = await notificationsOf(author, { first: 1 });
      expect(first.unreadNotifications).toBe(2);
      expect(first.notifications.totalCount).toBe(2);
      expect(first.notifications.nodes).toEqual([
        expect.objectContaining({
          kind: 'POST_REJECTED',
          message: 'Your post “Spam” was not approved: The page is an advert',
          post: { id: rejected },
        }),
      ]);
      expect(first.notifications.pageInfo.hasNextPage).toBe(true);
      const second = await notificationsOf(author, { first: 1, after: first.notifications.pageInfo.endCursor });
      expect(second.notifications.nodes).toEqual([
        expect.objectContaining({
          kind: 'POST_APPROVED',
          message: 'Your post “Ten tips” was approved: peers can share it now.',
          readAt: null,
        }),
      ]);
      expect(second.notifications.pageInfo.hasNextPage).toBe(false);

      const markOne = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;
      expect((await ok(t, markOne, { ids: [first.notifications.nodes[0].id] }, author.token)).markNotificationsRead).toBe(1);
      expect((await ok(t, markOne, { ids: [first.notifications.nodes[0].id] }, author.token)).markNotificationsRead).toBe(0);
      // Someone else's notification is not theirs to mark, nor to see.
      expect((await ok(t, markOne, { ids: [second.notifications.nodes[0].id] }, sharer.token)).markNotificationsRead).toBe(0);
      const node = await ok(t, `query($id: ID!) { node(id: $id) { id } }`, { id: second.notifications.nodes[0].id }, sharer.token);
      expect(node.node).toBeNull();
      const unread = await notificationsOf(author, { unreadOnly: true });
      expect(unread.notifications.nodes.map((n: { kind: string }) => n.kind)).toEqual(['POST_APPROVED']);
      expect((await ok(t, `mutation { markNotificationsRead(all: true) }`, {}, author.token)).markNotificationsRead).toBe(1);
      expect((await notificationsOf(author)).unreadNotifications).toBe(0);
      expect(codeOf(await t.gql(`mutation { markNotificationsRead }`, {}, { token: author.token }))).toBe('BAD_USER_INPUT');
    });

    it('tells a sharer at once by email when a share fails, with a plain-text part and a one-click unsubscribe', async () => {
      const postId = await approvedPost(t, admin, author, niche, { title: 'Refused here', budget: 10 });
      const channel = await webhookChannel(t, sharer, sink, `${sharer.handle}-refusing`);
      sink.failNextWith(422);
      const shareId = (await share(t, sharer, postId, [channel])).data!.sharePost[0].id;
      const mails = await smtp.waitFor(sharer.email, 2);
      const mail = mails.find((m) => m.subject === 'Your share could not be posted')!;
      expect(mail.text).toContain('Your share of “Refused here” could not be posted');
      expect(mail.html).toContain('<p>Your share of “Refused here” could not be posted');
      expect(mail.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
      expect(mail.listUnsubscribe).toMatch(/<http:\/\/sharepool\.test\/mail\/unsubscribe\?token=[^>]+>/);
      const failed = (await notificationsOf(sharer)).notifications.nodes.find((n: { kind: string }) => n.kind === 'SHARE_FAILED');
      expect(failed).toMatchObject({ share: { id: shareId, status: 'FAILED' }, post: { id: postId } });

      // The link works without signing in: GET asks, POST (as a mail program does) unsubscribes.
      const link = linkIn(mail, '/mail/unsubscribe');
      const ask = await t.http.get(link);
      expect(ask.status).toBe(200);
      expect(ask.text).toContain('Stop emails when a share of yours fails?');
      const done = await t.http.post(link).type('form').send('List-Unsubscribe=One-Click');
      expect(done.status).toBe(200);
      const preferences = (await ok(t, `{ viewer { notificationPreferences { kind email } } }`, {}, sharer.token)).viewer
        .notificationPreferences;
      expect(preferences).toContainEqual({ kind: 'SHARE_FAILED', email: 'NEVER' });
      expect(preferences).toContainEqual({ kind: 'CHANNEL_NEEDS_REAUTH', email: 'INSTANT' });
      expect(preferences).toContainEqual({ kind: 'POST_SHARED', email: 'DAILY' });
      expect((await t.http.post(`${link}x`)).status).toBe(400);

      // Now in the app only.
      sink.failNextWith(422);
      const second = await approvedPost(t, admin, author, niche, { title: 'Refused again', budget: 10 });
      await share(t, sharer, second, [channel]);
      await eventually(
        async () => (await notificationsOf(sharer)).notifications.nodes.filter((n: { kind: string }) => n.kind === 'SHARE_FAILED').length,
        (n) => n === 2,
      );
      const emails = await t.sql.query(`SELECT topic FROM emails WHERE member_id = $1 AND topic = 'SHARE_FAILED'`, [rawId(sharer.id)]);
      expect(emails.rows).toHaveLength(1);
    });

    it('tells a channel’s owner once when it needs reconnecting', async () => {
      const channel = await webhookChannel(t, sharer, sink, `${sharer.handle}-revoked`);
      // What a delivery does when a network answers that the channel's access ended (Mastodon, X… 401).
      const markNeedsReauth = () =>
        t.app
          .get(TransactionRunner)
          .run((tx) => t.app.get(ChannelsService).markNeedsReauth(tx, rawId(channel), 'The access token was revoked'));
      await markNeedsReauth();
      await markNeedsReauth();
      const mail = await eventually(
        async () => smtp.to(sharer.email).filter((m) => m.subject === 'Your channel needs reconnecting'),
        (mails) => mails.length > 0,
      );
      expect(mail[0]!.text).toContain(`Your webhook channel ${sharer.handle}-revoked needs reconnecting: The access token was revoked`);
      const kinds = (await notificationsOf(sharer)).notifications.nodes.map((n: { kind: string }) => n.kind);
      expect(kinds.filter((k: string) => k === 'CHANNEL_NEEDS_REAUTH')).toHaveLength(1);
    });

    it('tells an author when shares leave their post’s budget covering fewer than three more', async () => {
      const rich = await verifiedMember();
      await ok(t, `mutation($id: ID!) { joinNiche(nicheId: $id) { email } }`, { id: niche }, rich.token);
      const postId = await approvedPost(t, admin, rich, niche, { title: 'Nearly spent', creditsPerShare: 10, budget: 40 });
      const channels = [
        await webhookChannel(t, sharer, sink, `${sharer.handle}-a`),
        await webhookChannel(t, sharer, sink, `${sharer.handle}-b`),
      ];
      expect((await share(t, sharer, postId, channels.slice(0, 1))).errors).toBeUndefined();
      expect((await notificationsOf(rich)).notifications.nodes.map((n: { kind: string }) => n.kind)).not.toContain('BUDGET_LOW');
      // 40 credits, 10 a share: a second share leaves 20, fewer than three shares' worth.
      expect((await share(t, sharer, postId, channels.slice(1))).errors).toBeUndefined();
      const low = (await notificationsOf(rich)).notifications.nodes.find((n: { kind: string }) => n.kind === 'BUDGET_LOW');
      expect(low).toMatchObject({ message: expect.stringContaining('covers only 2 more shares'), post: { id: postId } });
    });

    it('tells a member an admin adjusted their credits, gathering what they want daily in one digest', async () => {
      const member = await verifiedMember();
      await ok(
        t,
        `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
        { i: { memberId: member.id, amount: -30, reason: 'a duplicate grant' } },
        admin.token,
      );
      await ok(
        t,
        `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
        { i: { memberId: member.id, amount: 7, reason: 'a thank-you' } },
        admin.token,
      );
      const messages = (await notificationsOf(member)).notifications.nodes.map((n: { message: string }) => n.message);
      expect(messages).toEqual([
        'An admin added 7 credits to your balance: a thank-you',
        'An admin took 30 credits from your balance: a duplicate grant',
      ]);
      const mailer = t.app.get(NotificationMailer);
      // Not a day old yet: no digest.
      await mailer.mailDueDigests();
      await t.sql.query(`UPDATE notifications SET created_at = created_at - interval '25 hours' WHERE member_id = $1`, [rawId(member.id)]);
      expect(await mailer.mailDueDigests()).toBe(1);
      const mails = await smtp.waitFor(member.email, 2);
      const digest = mails.find((m) => m.subject.startsWith('Your day on Sharepool'))!;
      expect(digest.subject).toBe('Your day on Sharepool: 2 updates');
      expect(digest.text).toContain('- An admin took 30 credits from your balance: a duplicate grant');
      expect(digest.text).toContain('- An admin added 7 credits to your balance: a thank-you');
      expect(await mailer.mailDueDigests()).toBe(0);
      const pending = await t.sql.query(`SELECT email_status FROM notifications WHERE member_id = $1`, [rawId(member.id)]);
      expect(pending.rows.map((r) => r.email_status)).toEqual(['SENT', 'SENT']);
    });

    it('delays mail while the mail server is down and loses none', async () => {
      const member = await verifiedMember();
      await ok(t, `mutation { setNotificationPreference(kind: CREDITS_ADJUSTED, email: INSTANT) { kind email } }`, {}, member.token);
      await smtp.stop();
      try {
        await ok(
          t,
          `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { amount } }`,
          { i: { memberId: member.id, amount: 3, reason: 'while down' } },
          admin.token,
        );
        const row = await eventually(
          async () =>
            (
              await t.sql.query(`SELECT status, attempts, last_error FROM emails WHERE member_id = $1 AND topic = 'CREDITS_ADJUSTED'`, [
                rawId(member.id),
              ])
            ).rows[0],
          (r) => r?.attempts >= 1 && r.status === 'PENDING',
        );
        expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      } finally {
        await smtp.start();
      }
      const mails = await smtp.waitFor(member.email, 2, 30_000);
      expect(mails.map((m) => m.subject)).toContain('Your credits were adjusted');
    });

    it('tells an owner when failed logins start slowing their account down', async () => {
      const owner = await verifiedMember();
      for (let i = 1; i <= 6; i++) await logIn(t, owner.email, 'not the password', { 'x-forwarded-for': `203.0.113.${i}` });
      const mails = await smtp.waitFor(owner.email, 2);
      expect(mails[1]!.subject).toBe('Failed sign-ins to your Sharepool account');
      expect(mails[1]!.text).toContain('There were 5 failed attempts to sign in to your account');
    });

    it('keeps a notification 90 days', async () => {
      await t.sql.query(
        `INSERT INTO notifications (member_id, kind, email_status, created_at) VALUES ($1, 'POST_APPROVED', 'NONE', now() - interval '91 days')`,
        [rawId(author.id)],
      );
      const old = async () =>
        Number((await t.sql.query(`SELECT count(*) AS n FROM notifications WHERE created_at < now() - interval '90 days'`)).rows[0].n);
      expect(await old()).toBe(1);
      expect(await t.app.get(NotificationsService).prune()).toBeGreaterThanOrEqual(1);
      expect(await old()).toBe(0);
    });
  });
});
