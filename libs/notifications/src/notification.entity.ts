import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IndexBySql, oneOf } from '@sharepool/database';
import {
  EMAIL_STATUSES,
  type EmailStatus,
  NOTIFICATION_KINDS,
  type NotificationDetails,
  type NotificationKind,
} from './notification-kinds.js';

const KINDS = NOTIFICATION_KINDS.map((k) => `'${k}'`).join(', ');

/**
 * What happened to a member, written in the transaction of the event itself
 * (notification_add). Post, share and peer are plain ids: a notification
 * outlives what it is about.
 */
@Entity('notifications')
@Check('notifications_kind_check', `kind IN (${KINDS})`)
@Check('notifications_email_status_check', `email_status IN ('NONE', 'INSTANT', 'DAILY', 'SENT')`)
@IndexBySql(`CREATE INDEX notifications_by_member ON notifications (member_id, created_at DESC, id DESC)`)
@Index('notifications_daily', ['memberId', 'createdAt'], { where: `email_status = 'DAILY'` })
@Index('notifications_by_age', ['createdAt'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'notifications_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  // The member's table belongs to the members lib, which depends on this one: the key is declared by name only.
  @ManyToOne('MemberEntity', { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'notifications_member_id_fkey' })
  member: unknown;

  @Column({ type: 'text', transformer: oneOf(NOTIFICATION_KINDS, 'notifications.kind') })
  kind: NotificationKind;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @Column({ type: 'uuid', nullable: true })
  shareId: string | null;

  @Column({ type: 'uuid', nullable: true })
  peerId: string | null;

  @Column({
    type: 'jsonb',
    default: {},
    comment: 'facts at the time of the event (post title, peer handle, reason, amount): the message is made from them',
  })
  details: NotificationDetails;

  @Column({
    type: 'text',
    transformer: oneOf(EMAIL_STATUSES, 'notifications.email_status'),
    comment: 'INSTANT or DAILY: an email is still to go; SENT: it went; NONE: never',
  })
  emailStatus: EmailStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
