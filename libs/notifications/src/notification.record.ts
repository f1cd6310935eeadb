import type { EmailChoice, EmailStatus, NotificationDetails, NotificationKind, PreferenceTopic } from './notification-kinds.js';

/** A notification as the domain sees it, with its message. */
export interface NotificationRecord {
  readonly id: string;
  readonly memberId: string;
  readonly kind: NotificationKind;
  readonly postId: string | null;
  readonly shareId: string | null;
  readonly peerId: string | null;
  readonly details: NotificationDetails;
  readonly message: string;
  readonly emailStatus: EmailStatus;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

/** What an event tells a member. */
export interface NewNotification {
  readonly memberId: string;
  readonly kind: NotificationKind;
  readonly postId?: string | null;
  readonly shareId?: string | null;
  readonly peerId?: string | null;
  readonly details?: NotificationDetails;
}

export interface NotificationPreference {
  readonly kind: PreferenceTopic;
  readonly email: EmailChoice;
}

export const NOTIFICATION_COLUMNS = `n.id, n.member_id AS "memberId", n.kind, n.post_id AS "postId", n.share_id AS "shareId",
  n.peer_id AS "peerId", n.details, n.email_status AS "emailStatus", n.created_at AS "createdAt", n.read_at AS "readAt"`;
