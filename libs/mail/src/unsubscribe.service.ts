import { Injectable } from '@nestjs/common';
import { PG, pgErrorCode, TransactionRunner } from '@sharepool/database';
import { NOTIFICATION_KINDS, NotificationsService, type PreferenceTopic } from '@sharepool/notifications';
import { MailLinks } from './mail-links.js';

/** What an unsubscribe link turns off, in words. */
const TOPIC_LABELS: Record<string, string> = {
  DIGEST: 'the daily digest',
  ACCOUNT: 'notices about your account',
  POST_APPROVED: 'emails when a post of yours is approved',
  POST_REJECTED: 'emails when a post of yours is not approved',
  POST_SHARED: 'emails when a peer shares your post',
  SHARE_POSTED: 'emails when a share of yours is live',
  SHARE_FAILED: 'emails when a share of yours fails',
  CHANNEL_NEEDS_REAUTH: 'emails when a channel needs reconnecting',
  CREDITS_ADJUSTED: 'emails when an admin adjusts your credits',
  BUDGET_LOW: "emails when a post's budget runs low",
  TRUST_LEVEL_CHANGED: 'emails when your trust level changes',
};

/**
 * One-click unsubscribe (RFC 8058): the signed link in every email turns off
 * what that email was about, for the member it was sent to, without signing in.
 */
@Injectable()
export class Unsubscribe {
  constructor(
    private readonly links: MailLinks,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** What the link would turn off, in words; null when the link is not genuine. */
  describe(token: string): string | null {
    const claim = this.links.readUnsubscribe(token);
    return claim ? (TOPIC_LABELS[claim.topic] ?? null) : null;
  }

  /** Turns off what the link names; returns what that was in words, or null when the link is not genuine. */
  async unsubscribe(token: string): Promise<string | null> {
    const claim = this.links.readUnsubscribe(token);
    const label = claim && TOPIC_LABELS[claim.topic];
    if (!claim || !label) return null;
    try {
      await this.transactions.run(async (tx) => {
        const topics: PreferenceTopic[] =
          claim.topic === 'DIGEST'
            ? await this.notifications.dailyKinds(claim.memberId)
            : (NOTIFICATION_KINDS as readonly string[]).includes(claim.topic) || claim.topic === 'ACCOUNT'
              ? [claim.topic as PreferenceTopic]
              : [];
        if (topics.length) await this.notifications.choose(tx, claim.memberId, topics, 'NEVER');
      });
    } catch (error) {
      // The member is gone: there is nothing left to send them.
      if (pgErrorCode(error) !== PG.foreignKeyViolation) throw error;
    }
    return label;
  }
}
