import { Injectable } from '@nestjs/common';
import type { Tx } from '@sharepool/database';
import type { Member } from '@sharepool/members';
import { NotificationsService } from '@sharepool/notifications';
import { MailLinks, VERIFICATION_LINK_HOURS } from './mail-links.js';
import { Mailbox } from './mailbox.service.js';

const ACCOUNT_REASON = 'You get this email because it concerns your Sharepool account.';
const slot = (minutes: number) => Math.floor(Date.now() / (minutes * 60_000));

/**
 * Emails about a member's account: the link that verifies their address,
 * someone signing up with an address that already has an account, and logins
 * being slowed by failures. The last two are account notices a member may turn
 * off (the ACCOUNT preference); each is sent at most once in a while.
 */
@Injectable()
export class AccountMail {
  constructor(
    private readonly mailbox: Mailbox,
    private readonly links: MailLinks,
    private readonly notifications: NotificationsService,
  ) {}

  /** The link that verifies the member's address (and credits the signup grant). */
  async verification(tx: Tx, member: Member, options: { dedupeKey?: string } = {}): Promise<string | null> {
    return this.mailbox.queue(tx, {
      memberId: member.id,
      to: member.email,
      topic: 'VERIFY',
      dedupeKey: options.dedupeKey,
      subject: 'Confirm your email address for Sharepool',
      greeting: `Hello ${member.displayName},`,
      paragraphs: [
        `Welcome to Sharepool, @${member.handle}. Confirm that this address is yours to finish signing up: your welcome credits are added as soon as you do.`,
        `The link works for ${VERIFICATION_LINK_HOURS} hours. If you did not sign up, ignore this email: nothing happens without the link.`,
      ],
      action: { label: 'Confirm my address', url: this.links.verificationUrl(member.id, member.email) },
      reason: ACCOUNT_REASON,
      unsubscribeUrl: this.links.unsubscribeUrl({ memberId: member.id, topic: 'ACCOUNT' }),
    });
  }

  /**
   * Someone signed up with the address of an existing account: its owner is
   * told (or, if they never confirmed it, sent a fresh link), at most once an hour.
   */
  async signUpWithTakenEmail(tx: Tx, owner: Member): Promise<void> {
    if (!owner.emailVerifiedAt) {
      await this.verification(tx, owner, { dedupeKey: `verify:${owner.id}:${slot(60)}` });
      return;
    }
    if (!(await this.wantsAccountNotices(owner.id))) return;
    await this.mailbox.queue(tx, {
      memberId: owner.id,
      to: owner.email,
      topic: 'ACCOUNT_EXISTS',
      dedupeKey: `account-exists:${owner.id}:${slot(60)}`,
      subject: 'Someone tried to sign up with your email address',
      greeting: `Hello ${owner.displayName},`,
      paragraphs: [
        `Someone just tried to create a Sharepool account with this address, which already belongs to your account @${owner.handle}.`,
        'If it was you, sign in instead. If it was not, nothing changed: your account is as it was.',
      ],
      action: { label: 'Sign in', url: this.links.appUrl('/') },
      reason: ACCOUNT_REASON,
      unsubscribeUrl: this.links.unsubscribeUrl({ memberId: owner.id, topic: 'ACCOUNT' }),
    });
  }

  /** The account's logins are being slowed down by failed attempts: its owner is told, once per throttling window. */
  async loginsSlowed(tx: Tx, owner: Member, failures: number, windowMinutes: number): Promise<void> {
    if (!(await this.wantsAccountNotices(owner.id))) return;
    await this.mailbox.queue(tx, {
      memberId: owner.id,
      to: owner.email,
      topic: 'LOGIN_SLOWED',
      dedupeKey: `login-slowed:${owner.id}:${slot(windowMinutes)}`,
      subject: 'Failed sign-ins to your Sharepool account',
      greeting: `Hello ${owner.displayName},`,
      paragraphs: [
        `There were ${failures} failed attempts to sign in to your account @${owner.handle} in the last ${windowMinutes} minutes, so its sign-ins are slowed down for a while. You can still sign in with your password.`,
        'If these were not you, someone may be guessing your password: make sure it is long and used nowhere else.',
      ],
      action: { label: 'Open Sharepool', url: this.links.appUrl('/') },
      reason: ACCOUNT_REASON,
      unsubscribeUrl: this.links.unsubscribeUrl({ memberId: owner.id, topic: 'ACCOUNT' }),
    });
  }

  private async wantsAccountNotices(memberId: string): Promise<boolean> {
    const [preference] = await this.notifications.preferencesOf(memberId, ['ACCOUNT']);
    return preference?.email !== 'NEVER';
  }
}
