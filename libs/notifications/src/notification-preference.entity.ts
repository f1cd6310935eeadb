import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { EMAIL_CHOICES, type EmailChoice, NOTIFICATION_KINDS, PREFERENCE_TOPICS, type PreferenceTopic } from './notification-kinds.js';

const TOPICS = [...NOTIFICATION_KINDS, 'ACCOUNT'].map((k) => `'${k}'`).join(', ');

/** A member's email choice for one kind (a kind without a row has its default: notification_email_default). */
@Entity('notification_preferences')
@Check('notification_preferences_kind_check', `kind IN (${TOPICS})`)
@Check('notification_preferences_email_check', `email IN ('INSTANT', 'DAILY', 'NEVER')`)
export class NotificationPreferenceEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'notification_preferences_pkey' })
  memberId: string;

  @ManyToOne('MemberEntity', { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'notification_preferences_member_id_fkey' })
  member: unknown;

  @PrimaryColumn({
    type: 'text',
    primaryKeyConstraintName: 'notification_preferences_pkey',
    transformer: oneOf(PREFERENCE_TOPICS, 'notification_preferences.kind'),
  })
  kind: PreferenceTopic;

  @Column({ type: 'text', transformer: oneOf(EMAIL_CHOICES, 'notification_preferences.email') })
  email: EmailChoice;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
