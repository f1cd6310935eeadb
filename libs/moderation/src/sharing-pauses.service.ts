import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { isUniqueViolation, pgErrorCode, PG, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, ConflictError, InvalidInputError, NotFoundError, requireRole } from '@sharepool/kernel';
import { validateReason } from '@sharepool/members';
import { Outbox } from '@sharepool/queue';
import type { PauseScope } from './sharing-pause.entity.js';

/** Shares woken by one resume; the sweeper finds the rest. */
const WAKE_BATCH = 1000;
/** Also shares due this soon, at their time: their own job may have run already (a claim takes a share up to a second early). */
const WAKE_AHEAD_SECONDS = 2;

export interface PauseTarget {
  readonly scope: PauseScope;
  readonly postId?: string | null;
  readonly nicheId?: string | null;
}

export interface SharingPause {
  readonly id: string;
  readonly scope: PauseScope;
  readonly postId: string | null;
  readonly nicheId: string | null;
  readonly reason: string;
  readonly pausedBy: string | null;
  readonly createdAt: Date;
  readonly resumedAt: Date | null;
}

const COLUMNS = `sp.id, sp.scope, sp.post_id AS "postId", sp.niche_id AS "nicheId", sp.reason, sp.paused_by AS "pausedBy",
  sp.created_at AS "createdAt", sp.resumed_at AS "resumedAt"`;

/**
 * SQL that holds while a pause in force covers a share's scope, given the SQL
 * of its post id and niche id (the one definition of "paused" for every query).
 */
export function pauseCoversSql(postId: string, nicheId: string): string {
  return `EXISTS (SELECT 1 FROM sharing_pauses sp WHERE sp.resumed_at IS NULL
                    AND (sp.scope = 'EVERYTHING' OR sp.post_id = ${postId} OR sp.niche_id = ${nicheId}))`;
}

/** A share's scope: what a pause can cover. */
export interface ShareScope {
  readonly postId: string;
  readonly nicheId: string;
}

/** Refused because an admin paused sharing here; says what is paused and why. */
export class SharingPausedError extends ConflictError {
  constructor(pause: Pick<SharingPause, 'scope' | 'reason'>) {
    const what = pause.scope === 'EVERYTHING' ? 'All sharing' : pause.scope === 'POST' ? 'Sharing of this post' : 'Sharing in this niche';
    super(`${what} is paused by the admins: ${pause.reason}`, { pausedScope: pause.scope });
  }
}

/**
 * The disaster switch: admins pause the sharing of one post, one niche or
 * everything. While a pause stands no share in its scope is delivered and new
 * ones are refused; scheduled shares wait and go out after the resume.
 */
@Injectable()
export class SharingPausesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
  ) {}

  async pause(actor: Actor, target: PauseTarget, reason: string): Promise<SharingPause> {
    const admin = requireRole(actor, 'ADMIN');
    const why = validateReason(reason);
    const { postId, nicheId } = checkTarget(target);
    return this.transactions.run(async (tx) => {
      try {
        const [pause] = await tx.query<SharingPause>(
          `INSERT INTO sharing_pauses AS sp (scope, post_id, niche_id, reason, paused_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
          [target.scope, postId, nicheId, why, admin.memberId],
        );
        await this.audit.record(tx, admin, {
          action: 'SHARING_PAUSED',
          targetType: target.scope === 'EVERYTHING' ? 'Sharing' : target.scope === 'POST' ? 'Post' : 'Niche',
          targetId: postId ?? nicheId,
          reason: why,
          details: { scope: target.scope },
        });
        return pause!;
      } catch (error) {
        if (isUniqueViolation(error, 'sharing_pauses_one_active')) throw new ConflictError('Sharing is already paused there');
        if (pgErrorCode(error) === PG.foreignKeyViolation) throw new NotFoundError(target.scope === 'POST' ? 'Post' : 'Niche');
        throw error;
      }
    });
  }

  async resume(actor: Actor, target: PauseTarget, reason: string): Promise<SharingPause> {
    const admin = requireRole(actor, 'ADMIN');
    const why = validateReason(reason);
    const { postId, nicheId } = checkTarget(target);
    return this.transactions.run(async (tx) => {
      const [pause] = await tx.query<SharingPause>(
        `UPDATE sharing_pauses sp SET resumed_at = now(), resumed_by = $4, resume_reason = $5
          WHERE sp.resumed_at IS NULL AND sp.scope = $1 AND sp.post_id IS NOT DISTINCT FROM $2 AND sp.niche_id IS NOT DISTINCT FROM $3
          RETURNING ${COLUMNS}`,
        [target.scope, postId, nicheId, admin.memberId, why],
      );
      if (!pause) throw new ConflictError('Sharing is not paused there');
      await this.wakeWaitingShares(tx, pause);
      await this.audit.record(tx, admin, {
        action: 'SHARING_RESUMED',
        targetType: target.scope === 'EVERYTHING' ? 'Sharing' : target.scope === 'POST' ? 'Post' : 'Niche',
        targetId: postId ?? nicheId,
        reason: why,
        details: { scope: target.scope },
      });
      return pause;
    });
  }

  /**
   * Shares that came due while the pause stood had their delivery job answered
   * "wait": wake those the resume frees now rather than leave them to the
   * sweeper, which only picks up shares long overdue. A batch is enough: the
   * sweeper still finds any left.
   */
  private async wakeWaitingShares(tx: Tx, resumed: SharingPause): Promise<void> {
    const waiting = await tx.query<{ id: string; due: Date }>(
      `SELECT s.id, s.next_attempt_at AS due FROM shares s
        WHERE s.status = 'SCHEDULED' AND s.next_attempt_at <= now() + make_interval(secs => ${WAKE_AHEAD_SECONDS})
          AND ($1::text = 'EVERYTHING' OR s.post_id = $2 OR s.niche_id = $3)
          AND NOT ${pauseCoversSql('s.post_id', 's.niche_id')}
        ORDER BY s.next_attempt_at LIMIT ${WAKE_BATCH}`,
      [resumed.scope, resumed.postId, resumed.nicheId],
    );
    for (const { id, due } of waiting) {
      // Delivery claims a share only when it is due and SCHEDULED, so a second job for it changes nothing.
      await this.outbox.add(tx, 'share.deliver', { shareId: id }, { jobId: `deliver:${id}:resume:${resumed.id}`, runAt: due });
    }
  }

  /** ADMIN: the pauses in force, newest first (there are few). */
  active(actor: Actor): Promise<SharingPause[]> {
    requireRole(actor, 'ADMIN', 'READ');
    return this.transactions.query<SharingPause>(
      `SELECT ${COLUMNS} FROM sharing_pauses sp WHERE sp.resumed_at IS NULL ORDER BY sp.created_at DESC LIMIT 500`,
    );
  }

  /** The pause covering a share's scope, if any (inside the caller's transaction). */
  async pauseCovering(tx: Tx, scope: ShareScope): Promise<SharingPause | null> {
    const [pause] = await tx.query<SharingPause>(
      `SELECT ${COLUMNS} FROM sharing_pauses sp
        WHERE sp.resumed_at IS NULL AND (sp.scope = 'EVERYTHING' OR sp.post_id = $1 OR sp.niche_id = $2)
        ORDER BY sp.created_at LIMIT 1`,
      [scope.postId, scope.nicheId],
    );
    return pause ?? null;
  }

  /** Which of these posts a pause covers now (one query, for lists). */
  async pausedPosts(posts: readonly ShareScope[]): Promise<Set<string>> {
    if (posts.length === 0) return new Set();
    const rows = await this.transactions.query<{ postId: string }>(
      `SELECT t.post_id AS "postId" FROM unnest($1::uuid[], $2::uuid[]) AS t(post_id, niche_id)
        WHERE ${pauseCoversSql('t.post_id', 't.niche_id')}`,
      [posts.map((p) => p.postId), posts.map((p) => p.nicheId)],
    );
    return new Set(rows.map((r) => r.postId));
  }
}

function checkTarget(target: PauseTarget): { postId: string | null; nicheId: string | null } {
  const postId = target.postId ?? null;
  const nicheId = target.nicheId ?? null;
  if (target.scope === 'POST' && (!postId || nicheId))
    throw new InvalidInputError('postId', 'A POST pause names a postId (and no nicheId)');
  if (target.scope === 'NICHE' && (!nicheId || postId))
    throw new InvalidInputError('nicheId', 'A NICHE pause names a nicheId (and no postId)');
  if (target.scope === 'EVERYTHING' && (postId || nicheId)) {
    throw new InvalidInputError('scope', 'An EVERYTHING pause names neither a post nor a niche');
  }
  return { postId, nicheId };
}
