import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { decodeCursor, entityFields, type FieldsOf, keysetPage, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, hasRole, type Page, type PageRequest, requireRole } from '@sharepool/kernel';
import { type AuditFact, AuditLogEntity } from './audit-log.entity.js';

const AUDIT_ENTRY_FIELDS = entityFields(AuditLogEntity, [
  'id',
  'actorId',
  'actorKind',
  'action',
  'targetType',
  'targetId',
  'reason',
  'details',
  'createdAt',
]);

/** One line of the audit trail. */
export type AuditEntry = FieldsOf<typeof AUDIT_ENTRY_FIELDS>;

export interface AuditEvent {
  /** What was done, SCREAMING_SNAKE_CASE: MEMBER_SUSPENDED, POST_REJECTED, CREDITS_ADJUSTED… */
  readonly action: string;
  /** The kind of thing acted on: Member, Post, Niche, Sharing… */
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly reason?: string | null;
  /** Facts worth keeping (never secrets). */
  readonly details?: Readonly<Record<string, AuditFact>>;
}

/**
 * The append-only trail of moderation and admin actions: who did what to what,
 * why, and when. Written in the same transaction as the action itself.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly transactions: TransactionRunner,
    @InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>,
  ) {}

  async record(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
    await tx.manager.getRepository(AuditLogEntity).insert({
      actorId: actor.kind === 'member' ? actor.memberId : null,
      actorKind: actor.kind === 'member' ? 'member' : 'system',
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      reason: event.reason ?? null,
      details: event.details ?? {},
    });
  }

  /** How many times `action` was done to one target since `since` (for rules about a member's history). */
  async countSince(target: { type: string; id: string }, action: string, since: Date): Promise<number> {
    const [row] = await this.transactions.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE target_type = $1 AND target_id = $2 AND action = $3 AND created_at >= $4`,
      [target.type, target.id, action, since],
    );
    return row!.n;
  }

  /** One entry; ADMIN only (null for anyone else). */
  async find(actor: Actor, id: string): Promise<AuditEntry | null> {
    if (!hasRole(actor, 'ADMIN') || actor.kind !== 'member') return null;
    return this.entries.findOne({ select: AUDIT_ENTRY_FIELDS.select, where: { id } });
  }

  /** Newest first; ADMIN only. */
  async list(actor: Actor, page: PageRequest): Promise<Page<AuditEntry>> {
    requireRole(actor, 'ADMIN', 'READ');
    const after = page.after ? decodeCursor(page.after, ['string', 'string']) : null;
    const rows = await this.transactions.query<{ seqTime: string }>(
      `SELECT ${AUDIT_ENTRY_FIELDS.sql('a')}, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "seqTime"
         FROM audit_log a
        WHERE ($1::timestamp IS NULL OR (a.created_at AT TIME ZONE 'UTC', a.id) < ($1::timestamp, $2::uuid))
        ORDER BY a.created_at DESC, a.id DESC LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map((row) => ({ ...AUDIT_ENTRY_FIELDS.read(row), seqTime: row.seqTime })),
      page,
      (entry) => [entry.seqTime, entry.id],
      () => this.entries.count(),
    );
  }
}
