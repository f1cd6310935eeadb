import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { MemberEntity } from '@sharepool/members';

export const EMAIL_SEND_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
export type EmailSendStatus = (typeof EMAIL_SEND_STATUSES)[number];

/**
 * Every email Sharepool sends, rendered, with its delivery state: a send job
 * claims a row with a lease, so the database decides what was sent; a mail
 * server that is down only moves next_attempt_at.
 */
@Entity('emails')
@Check('emails_to_address_check', `length(to_address) <= 254`)
@Check('emails_subject_check', `length(subject) <= 300`)
@Check('emails_status_check', `status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')`)
@Check('emails_sent', `(status = 'SENT') = (sent_at IS NOT NULL)`)
@Unique('emails_dedupe_key_key', ['dedupeKey'])
@Index('emails_due', ['nextAttemptAt'], { where: `status IN ('PENDING', 'SENDING')` })
@Index('emails_by_age', ['createdAt'])
export class EmailEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'emails_pkey' })
  id: string;

  @Column({ type: 'uuid', nullable: true })
  memberId: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'emails_member_id_fkey' })
  member: Relation<MemberEntity> | null;

  @Column({ type: 'text' })
  toAddress: string;

  /** What the email is about: a notification kind, DIGEST, or an account notice (VERIFY, ACCOUNT_EXISTS, LOGIN_SLOWED). */
  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  textBody: string;

  @Column({ type: 'text' })
  htmlBody: string;

  @Column({ type: 'text' })
  unsubscribeUrl: string;

  @Column({ type: 'text', nullable: true, comment: 'one email per event: a second try to write it finds the first' })
  dedupeKey: string | null;

  @Column({ type: 'text', default: 'PENDING', transformer: oneOf(EMAIL_SEND_STATUSES, 'emails.status') })
  status: EmailSendStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
