/**
 * What a member is told about. The message is made from the kind and the facts
 * kept with the notification (details), here and nowhere else, so the app, the
 * API and the emails say the same sentence.
 */
export const NOTIFICATION_KINDS = [
  'POST_APPROVED',
  'POST_REJECTED',
  'POST_SHARED',
  'SHARE_POSTED',
  'SHARE_FAILED',
  'CHANNEL_NEEDS_REAUTH',
  'CREDITS_ADJUSTED',
  'BUDGET_LOW',
  'TRUST_LEVEL_CHANGED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a member wants a kind by email. */
export const EMAIL_CHOICES = ['INSTANT', 'DAILY', 'NEVER'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

/** What a notification's email is waiting for (NONE: no email; SENT: it went). */
export const EMAIL_STATUSES = ['NONE', 'INSTANT', 'DAILY', 'SENT'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** A preference topic: a notification kind, or ACCOUNT (notices about the account's security, always instant unless turned off). */
export const PREFERENCE_TOPICS = [...NOTIFICATION_KINDS, 'ACCOUNT'] as const;
export type PreferenceTopic = (typeof PREFERENCE_TOPICS)[number];

/** A post's budget is low when it covers fewer than this many more shares. */
export const BUDGET_LOW_SHARES = 3;

/** Facts kept with a notification when it is written (what may change later is copied, not referenced). */
export interface NotificationDetails {
  readonly postTitle?: string;
  readonly peerHandle?: string;
  readonly reason?: string;
  readonly credits?: number;
  readonly amount?: number;
  readonly network?: string;
  readonly channelHandle?: string;
  readonly sharesLeft?: number;
  readonly fromLevel?: string;
  readonly toLevel?: string;
}

const NETWORK_NAMES: Record<string, string> = {
  WEBHOOK: 'webhook',
  MASTODON: 'Mastodon',
  BLUESKY: 'Bluesky',
  X: 'X',
  LINKEDIN: 'LinkedIn',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one sentence a member reads for a notification. */
export function notificationMessage(kind: NotificationKind, details: NotificationDetails): string {
  const title = `“${details.postTitle ?? 'your post'}”`;
  const name = NETWORK_NAMES[details.network ?? ''] ?? details.network ?? 'social';
  const network = name === 'webhook' ? 'your webhook' : name;
  switch (kind) {
    case 'POST_APPROVED':
      return `Your post ${title} was approved: peers can share it now.`;
    case 'POST_REJECTED':
      return `Your post ${title} was not approved: ${details.reason ?? 'no reason was given'}`;
    case 'POST_SHARED':
      return `@${details.peerHandle ?? 'a peer'} shared your post ${title}; it is live on their ${name === 'webhook' ? 'site' : name}.`;
    case 'SHARE_POSTED':
      return `Your share of ${title} is live on ${network}: you earned ${plural(details.credits ?? 0, 'credit')}.`;
    case 'SHARE_FAILED':
      return `Your share of ${title} could not be posted: ${details.reason ?? 'the network refused it'}`;
    case 'CHANNEL_NEEDS_REAUTH':
      return `Your ${name} channel ${details.channelHandle ?? ''} needs reconnecting: ${details.reason ?? 'its access ended'}`.replace(
        '  ',
        ' ',
      );
    case 'CREDITS_ADJUSTED': {
      const amount = details.amount ?? 0;
      return `An admin ${amount >= 0 ? 'added' : 'took'} ${plural(Math.abs(amount), 'credit')} ${amount >= 0 ? 'to' : 'from'} your balance: ${details.reason ?? ''}`.trim();
    }
    case 'TRUST_LEVEL_CHANGED':
      return `Your trust level is now ${details.toLevel ?? 'changed'}${details.fromLevel ? ` (it was ${details.fromLevel})` : ''}: ${details.reason ?? 'your history with peers changed'}`;
    case 'BUDGET_LOW':
      return `The budget of your post ${title} covers only ${plural(details.sharesLeft ?? 0, 'more share')}; once it runs out, peers can no longer share it.`;
  }
}
