import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IndexBySql, oneOf } from '@sharepool/database';

/** A fact kept with an audit entry: flat JSON. */
export type AuditFact = string | number | boolean | null;

export const ACTOR_KINDS = ['member', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * One moderation or admin action: who did what to what, why, and when. Append
 * only: a trigger (audit_log_append_only, migration 1764000000000) refuses
 * UPDATE, DELETE and TRUNCATE, whoever writes.
 */
@Entity('audit_log')
@Check('audit_log_actor_kind_check', `actor_kind IN ('member', 'system')`)
@IndexBySql(`CREATE INDEX audit_log_newest_first ON audit_log (created_at DESC, id DESC)`)
@Index('audit_log_by_target', ['targetType', 'targetId'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'audit_log_pkey' })
  id: string;

  /** The member who acted (no foreign key: the audit trail sits below members and outlives nothing). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', transformer: oneOf(ACTOR_KINDS, 'audit_log.actor_kind') })
  actorKind: ActorKind;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  targetType: string;

  @Column({ type: 'uuid', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, AuditFact>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
