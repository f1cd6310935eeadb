import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sharepool/database';
import { type NotificationKind, NotificationsService } from '@sharepool/notifications';
import { MailLinks } from './mail-links.js';
import { MailRecipients } from './mail-recipients.js';
import { Mailbox } from './mailbox.service.js';

const SUBJECTS: Record<NotificationKind, string> = {
  POST_APPROVED: 'Your post was approved',
  POST_REJECTED: 'Your post was not approved',
  POST_SHARED: 'A peer shared your post',
  SHARE_POSTED: 'Your share is live',
  SHARE_FAILED: 'Your share could not be posted',
  CHANNEL_NEEDS_REAUTH: 'Your channel needs reconnecting',
  CREDITS_ADJUSTED: 'Your credits were adjusted',
  BUDGET_LOW: "Your post's budget is running low",
  TRUST_LEVEL_CHANGED: 'Your trust level changed',
};

/** Where in the web app a member acts on each kind. */
const PAGES: Record<NotificationKind, string> = {
  POST_APPROVED: '/posts',
  POST_REJECTED: '/posts',
  POST_SHARED: '/posts',
  SHARE_POSTED: '/shares',
  SHARE_FAILED: '/shares',
  CHANNEL_NEEDS_REAUTH: '/channels',
  CREDITS_ADJUSTED: '/wallet',
  BUDGET_LOW: '/posts',
  TRUST_LEVEL_CHANGED: '/',
};

/** Notifications listed in one digest at most (the rest are counted). */
const DIGEST_ITEMS = 25;
const DIGESTS_PER_RUN = 200;

/** The emails of notifications: one at once for the kinds a member wants so, a daily digest for the others. */
@Injectable()
export class NotificationMailer {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationsService,
    private readonly recipients: MailRecipients,
    private readonly mailbox: Mailbox,
    private readonly links: MailLinks,
  ) {}

  /** Queues the email of a notification its member wants at once (the notification.email job); idempotent. */
  async mailInstant(notificationId: string): Promise<'QUEUED' | 'NOT_MAILED' | 'SKIPPED'> {
    return this.transactions.run(async (tx) => {
      const notification = await this.notifications.lockForInstantEmail(tx, notificationId);
      if (!notification) return 'SKIPPED';
      const member = await this.recipients.notifiable(notification.memberId);
      if (!member) {
        await this.notifications.markNotEmailed(tx, [notification.id]);
        return 'NOT_MAILED';
      }
      await this.mailbox.queue(tx, {
        memberId: member.id,
        to: member.email,
        topic: notification.kind,
        dedupeKey: `notification:${notification.id}`,
        subject: SUBJECTS[notification.kind],
        greeting: `Hello ${member.displayName},`,
        paragraphs: [notification.message],
        action: { label: 'Open Sharepool', url: this.links.appUrl(PAGES[notification.kind]) },
        reason: `You get this email at once for this kind of news; change that in your notification settings.`,
        unsubscribeUrl: this.links.unsubscribeUrl({ memberId: member.id, topic: notification.kind }),
      });
      await this.notifications.markEmailed(tx, [notification.id]);
      return 'QUEUED';
    });
  }

  /**
   * Queues the daily digest of every member whose oldest notification waiting
   * for it is a day old: one email with everything since their last one.
   * Returns how many digests were queued.
   */
  async mailDueDigests(): Promise<number> {
    let queued = 0;
    for (const memberId of await this.notifications.membersWithDueDigest(DIGESTS_PER_RUN)) {
      const sent = await this.transactions.run(async (tx) => {
        const { items, ids } = await this.notifications.lockDigest(tx, memberId, DIGEST_ITEMS);
        if (ids.length === 0) return false;
        const member = await this.recipients.notifiable(memberId);
        if (!member) {
          await this.notifications.markNotEmailed(tx, ids);
          return false;
        }
        const more = ids.length - items.length;
        await this.mailbox.queue(tx, {
          memberId,
          to: member.email,
          topic: 'DIGEST',
          dedupeKey: `digest:${memberId}:${ids[0]}`,
          subject: ids.length === 1 ? 'Your day on Sharepool: 1 update' : `Your day on Sharepool: ${ids.length} updates`,
          greeting: `Hello ${member.displayName},`,
          paragraphs: ['Here is what happened since your last digest:'],
          list: [...items.map((n) => n.message), ...(more > 0 ? [`…and ${more} more in the app.`] : [])],
          action: { label: 'Open Sharepool', url: this.links.appUrl('/') },
          reason: 'You get a daily digest of these kinds of news; change that in your notification settings.',
          unsubscribeUrl: this.links.unsubscribeUrl({ memberId, topic: 'DIGEST' }),
        });
        await this.notifications.markEmailed(tx, ids);
        return true;
      });
      if (sent) queued++;
    }
    return queued;
  }
}
