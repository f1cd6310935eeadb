import { Injectable } from '@nestjs/common';
import { decodeCursor, keysetPage, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, hasRole, type Page, type PageRequest, requireRole } from '@sharepool/kernel';

export interface AuditRecord {
  readonly id: string;
  readonly actorId: string | null;
  readonly actorKind: 'member' | 'system';
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly reason: string | null;
  readonly details: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface AuditEvent {
  /** What was done, SCREAMING_SNAKE_CASE: MEMBER_SUSPENDED, POST_REJECTED, CREDITS_ADJUSTED… */
  readonly action: string;
  /** The kind of thing acted on: Member, Post, Niche, Sharing… */
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly reason?: string | null;
  /** Facts worth keeping (never secrets). */
  readonly details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_kind: 'member' | 'system';
  action: string;
  target_type: string;
  target_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  seq_time: string;
}

/**
 * The append-only trail of moderation and admin actions: who did what to what,
 * why, and when. Written in the same transaction as the action itself.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly transactions: TransactionRunner) {}

  async record(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (actor_id, actor_kind, action, target_type, target_id, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        actor.kind === 'member' ? actor.memberId : null,
        actor.kind === 'member' ? 'member' : 'system',
        event.action,
        event.targetType,
        event.targetId ?? null,
        event.reason ?? null,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }

  /** One record; ADMIN only (null for anyone else). */
  async find(actor: Actor, id: string): Promise<AuditRecord | null> {
    if (!hasRole(actor, 'ADMIN') || actor.kind !== 'member') return null;
    const [row] = await this.transactions.query<AuditRow>(`SELECT *, '' AS seq_time FROM audit_log WHERE id = $1`, [id]);
    return row ? toRecordWithKey(row) : null;
  }

  /** Newest first; ADMIN only. */
  async list(actor: Actor, page: PageRequest): Promise<Page<AuditRecord>> {
    requireRole(actor, 'ADMIN', 'READ');
    const after = page.after ? decodeCursor(page.after, ['string', 'string']) : null;
    return this.transactions.run(async (tx) => {
      const rows = await tx.query<AuditRow>(
        `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS seq_time FROM audit_log
          WHERE ($1::timestamp IS NULL OR (created_at AT TIME ZONE 'UTC', id) < ($1::timestamp, $2::uuid))
          ORDER BY created_at DESC, id DESC LIMIT $3`,
        [after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
      );
      return keysetPage(
        rows.map(toRecordWithKey),
        page,
        (r) => [r.key, r.id],
        () => this.transactions.run(async (t) => Number((await t.query<{ n: number }>(`SELECT count(*) AS n FROM audit_log`))[0]!.n)),
      );
    });
  }
}

function toRecordWithKey(row: AuditRow): AuditRecord & { key: string } {
  return {
    id: row.id,
    actorId: row.actor_id,
    actorKind: row.actor_kind,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at,
    key: row.seq_time,
  };
}
