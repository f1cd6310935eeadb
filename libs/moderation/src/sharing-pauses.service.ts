import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AuditLog } from '@sharepool/audit';
import { entityFields, type FieldsOf, isUniqueViolation, pgErrorCode, PG, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, ConflictError, InvalidInputError, NotFoundError, requireRole } from '@sharepool/kernel';
import { validateReason } from '@sharepool/members';
import { type PauseScope, SharingPauseEntity } from './sharing-pause.entity.js';

export interface PauseTarget {
  readonly scope: PauseScope;
  readonly postId?: string | null;
  readonly nicheId?: string | null;
}

const PAUSE_FIELDS = entityFields(SharingPauseEntity, ['id', 'scope', 'postId', 'nicheId', 'reason', 'pausedBy', 'createdAt', 'resumedAt']);
export type SharingPause = FieldsOf<typeof PAUSE_FIELDS>;

/** What another lib does, inside a resume's transaction, once a pause is lifted (sharing wakes the shares that waited). */
export type ResumeListener = (tx: Tx, resumed: SharingPause) => Promise<void>;

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
  private readonly resumeListeners: ResumeListener[] = [];

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    @InjectRepository(SharingPauseEntity) private readonly pauses: Repository<SharingPauseEntity>,
  ) {}

  /** Registers what runs in every resume's transaction (libs above this one cannot be called from it). */
  onResume(listener: ResumeListener): void {
    this.resumeListeners.push(listener);
  }

  async pause(actor: Actor, target: PauseTarget, reason: string): Promise<SharingPause> {
    const admin = requireRole(actor, 'ADMIN');
    const why = validateReason(reason);
    const { postId, nicheId } = checkTarget(target);
    return this.transactions.run(async (tx) => {
      try {
        const [row] = await tx.query(
          `INSERT INTO sharing_pauses AS sp (scope, post_id, niche_id, reason, paused_by) VALUES ($1, $2, $3, $4, $5)
           RETURNING ${PAUSE_FIELDS.sql('sp')}`,
          [target.scope, postId, nicheId, why, admin.memberId],
        );
        const pause = PAUSE_FIELDS.read(row!);
        await this.audit.record(tx, admin, {
          action: 'SHARING_PAUSED',
          targetType: target.scope === 'EVERYTHING' ? 'Sharing' : target.scope === 'POST' ? 'Post' : 'Niche',
          targetId: postId ?? nicheId,
          reason: why,
          details: { scope: target.scope },
        });
        return pause;
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
      const [row] = await tx.query(
        `UPDATE sharing_pauses sp SET resumed_at = now(), resumed_by = $4, resume_reason = $5
          WHERE sp.resumed_at IS NULL AND sp.scope = $1 AND sp.post_id IS NOT DISTINCT FROM $2 AND sp.niche_id IS NOT DISTINCT FROM $3
          RETURNING ${PAUSE_FIELDS.sql('sp')}`,
        [target.scope, postId, nicheId, admin.memberId, why],
      );
      if (!row) throw new ConflictError('Sharing is not paused there');
      const pause = PAUSE_FIELDS.read(row);
      for (const listener of this.resumeListeners) await listener(tx, pause);
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

  /** ADMIN: the pauses in force, newest first (there are few). */
  active(actor: Actor): Promise<SharingPause[]> {
    requireRole(actor, 'ADMIN', 'READ');
    return this.pauses.find({ select: PAUSE_FIELDS.select, where: { resumedAt: IsNull() }, order: { createdAt: 'DESC' }, take: 500 });
  }

  /** The pause covering a share's scope, if any (inside the caller's transaction). */
  async pauseCovering(tx: Tx, scope: ShareScope): Promise<SharingPause | null> {
    const [row] = await tx.query(
      `SELECT ${PAUSE_FIELDS.sql('sp')} FROM sharing_pauses sp
        WHERE sp.resumed_at IS NULL AND (sp.scope = 'EVERYTHING' OR sp.post_id = $1 OR sp.niche_id = $2)
        ORDER BY sp.created_at LIMIT 1`,
      [scope.postId, scope.nicheId],
    );
    return row ? PAUSE_FIELDS.read(row) : null;
  }

  /** Which of these posts a pause covers now (one query, for lists). */
  async pausedPosts(posts: readonly ShareScope[]): Promise<Set<string>> {
    if (posts.length === 0) return new Set();
    const rows = await this.transactions.query<{ postId: string }>(
      `SELECT t.post_id AS "postId" FROM unnest($1::uuid[], $2::uuid[]) AS t(post_id, niche_id) WHERE sharing_paused(t.post_id, t.niche_id)`,
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
