import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { IndexBySql, oneOf } from '@sharepool/database';
import { type Role, ROLES } from '@sharepool/kernel';

export const MEMBER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A member's account. Emails are stored lower-case; handles are unique whatever their case. */
@Entity('members')
@Check('members_email_check', `email = lower(email) AND length(email) <= 254`)
@Check('members_handle_check', `handle ~ '^[a-z0-9_]{3,30}$'`)
@Check('members_display_name_check', `length(display_name) BETWEEN 1 AND 80`)
@Check('members_bio_check', `length(bio) <= 500`)
@Check('members_role_check', `role IN ('MEMBER', 'MODERATOR', 'ADMIN')`)
@Check('members_status_check', `status IN ('ACTIVE', 'SUSPENDED')`)
@Index('members_email_key', ['email'], { unique: true })
@IndexBySql(`CREATE UNIQUE INDEX members_handle_key ON members (lower(handle))`)
@IndexBySql(`CREATE INDEX members_newest_first ON members (created_at DESC, id DESC)`)
@Index('members_active_admins', ['id'], { where: `role = 'ADMIN' AND status = 'ACTIVE'` })
export class MemberEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'members_pkey' })
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  handle: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', nullable: true })
  bio: string | null;

  @Column({ type: 'text', default: 'MEMBER', transformer: oneOf(ROLES, 'members.role') })
  role: Role;

  @Column({ type: 'text', default: 'ACTIVE', transformer: oneOf(MEMBER_STATUSES, 'members.status') })
  status: MemberStatus;

  /** argon2id; never leaves the members lib but to check a password. */
  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'text', nullable: true })
  suspendedReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  suspendedBy: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'suspended_by', foreignKeyConstraintName: 'members_suspended_by_fkey' })
  suspender: Relation<MemberEntity> | null;

  /** When the member proved they read their address; null until then. */
  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
