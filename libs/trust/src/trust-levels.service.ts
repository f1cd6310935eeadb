import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { AppConfig, TRUST_LEVELS, type TrustLevel, type TrustLevelRule, type TrustPrivileges } from '@sharepool/config';
import { pgErrorCode, PG, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, NotFoundError, requireRole, systemActor } from '@sharepool/kernel';
import { NotificationsService } from '@sharepool/notifications';

/** Where a member stands: their level, since when, whether an admin locked it. */
export interface TrustStanding {
  readonly level: TrustLevel;
  /** When the level was reached; null for a member who is NEW since joining. */
  readonly since: Date | null;
  readonly locked: boolean;
  /** The first daily review in a row that found the level's requirements unmet. */
  readonly failingSince: Date | null;
}

export interface TrustChange {
  readonly to: TrustLevel;
  readonly reason: string;
  readonly at: Date;
  /** Only an admin locks or unlocks; automatic changes keep the lock as it is (none, for them to happen). */
  readonly locked?: boolean;
  /** Automatic changes apply only if the member is still at this level and unlocked (a check against races). */
  readonly expectedFrom?: TrustLevel;
  /** Written and audit-logged even when it confirms the level as it is (an admin's decision). */
  readonly recordUnchanged?: boolean;
}

export interface SetTrustLevelInput {
  readonly memberId: string;
  readonly level: TrustLevel;
  readonly reason: string;
  /** true: the level stays until an admin changes it; false: automatic from now on. */
  readonly lock: boolean;
}

const NEW_SINCE_JOINING: TrustStanding = { level: 'NEW', since: null, locked: false, failingSince: null };
/** The namespace of the advisory locks that serialise one member's submissions against their daily cap. */
const QUOTA_LOCK_SPACE = 20_001;

const rank = (level: TrustLevel) => TRUST_LEVELS.indexOf(level);

/**
 * Trust levels: where each member stands, what their level allows (the table
 * in config), and every change of level, each in the audit log with its
 * reason. Deciding who has earned what is the trust review's (libs/relationships),
 * which reads the history this lib does not own. A suspension drops the member
 * to NEW whoever suspends (the trigger trust_follow_status).
 */
@Injectable()
export class TrustLevels {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
  ) {}

  rule(level: TrustLevel): TrustLevelRule {
    return this.config.trustRules.levels.find((r) => r.level === level)!;
  }

  privileges(level: TrustLevel): TrustPrivileges {
    return this.rule(level).privileges;
  }

  /** The level above `level` that members reach on their own, or null (at TRUSTED: LEADER is granted by an admin). */
  nextAutomatic(level: TrustLevel): TrustLevelRule | null {
    const next = TRUST_LEVELS[rank(level) + 1];
    const rule = next ? this.rule(next) : null;
    return rule?.requirements ? rule : null;
  }

  /** The levels below `level` that members reach on their own, highest first. */
  automaticBelow(level: TrustLevel): TrustLevelRule[] {
    return TRUST_LEVELS.slice(0, rank(level))
      .map((l) => this.rule(l))
      .filter((r) => r.requirements !== null)
      .reverse();
  }

  async standing(memberId: string, tx?: Tx): Promise<TrustStanding> {
    const sql = `SELECT level, since, locked, failing_since AS "failingSince" FROM member_trust WHERE member_id = $1`;
    const [row] = tx ? await tx.query<TrustStanding>(sql, [memberId]) : await this.transactions.query<TrustStanding>(sql, [memberId]);
    return row ?? NEW_SINCE_JOINING;
  }

  /** Levels by member, in one query (members without a row are NEW). */
  async levelsOf(memberIds: readonly string[]): Promise<Map<string, TrustLevel>> {
    const rows = await this.transactions.query<{ memberId: string; level: TrustLevel }>(
      `SELECT member_id AS "memberId", level FROM member_trust WHERE member_id = ANY($1::uuid[])`,
      [memberIds],
    );
    const levels = new Map<string, TrustLevel>(memberIds.map((id) => [id, 'NEW']));
    for (const row of rows) levels.set(row.memberId, row.level);
    return levels;
  }

  /**
   * What the member may do now, inside the caller's transaction. With
   * `serialise`, the member's other transactions that ask the same wait for
   * this one to end, so a count against a daily cap cannot be raced.
   */
  async privilegesFor(tx: Tx, memberId: string, serialise = false): Promise<{ level: TrustLevel; privileges: TrustPrivileges }> {
    if (serialise) await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2::text))`, [QUOTA_LOCK_SPACE, memberId]);
    const { level } = await this.standing(memberId, tx);
    return { level, privileges: this.privileges(level) };
  }

  /**
   * Moves a member to a level inside the caller's transaction, with the reason
   * in the audit log. An automatic change (`expectedFrom` given) happens only
   * while the member is still at that level and unlocked; returns whether the
   * level changed.
   */
  async change(tx: Tx, actor: Actor, memberId: string, change: TrustChange): Promise<boolean> {
    const current = await this.lockedStanding(tx, memberId);
    const automatic = change.expectedFrom !== undefined;
    if (automatic && (current.level !== change.expectedFrom || current.locked)) return false;
    const locked = change.locked ?? current.locked;
    if (current.level === change.to && current.locked === locked && !change.recordUnchanged) return false;
    try {
      await tx.query(
        `INSERT INTO member_trust (member_id, level, since, locked, failing_since, updated_at) VALUES ($1, $2, $3, $4, NULL, now())
         ON CONFLICT (member_id) DO UPDATE SET level = excluded.level, locked = excluded.locked, failing_since = NULL, updated_at = now(),
           since = CASE WHEN member_trust.level = excluded.level THEN member_trust.since ELSE excluded.since END`,
        [memberId, change.to, change.at, locked],
      );
    } catch (error) {
      if (pgErrorCode(error) === PG.foreignKeyViolation) throw new NotFoundError('Member', { field: 'memberId' });
      throw error;
    }
    await this.audit.record(tx, actor, {
      action: 'TRUST_LEVEL_CHANGED',
      targetType: 'Member',
      targetId: memberId,
      reason: change.reason,
      details: { from: current.level, to: change.to, locked, automatic },
    });
    if (current.level !== change.to) {
      await this.notifications.add(tx, {
        memberId,
        kind: 'TRUST_LEVEL_CHANGED',
        details: { fromLevel: current.level, toLevel: change.to, reason: change.reason },
      });
    }
    return true;
  }

  /** ADMIN: sets a member's level; locked (the default) it stays until an admin changes it, unlocked it is automatic again. */
  async setByAdmin(actor: Actor, input: SetTrustLevelInput, at: Date): Promise<void> {
    const admin = requireRole(actor, 'ADMIN');
    if (!TRUST_LEVELS.includes(input.level)) throw new InvalidInputError('level', `level is one of ${TRUST_LEVELS.join(', ')}`);
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length < 3 || reason.length > 500) throw new InvalidInputError('reason', 'The reason is 3 to 500 characters');
    await this.transactions.run(async (tx) => {
      await this.change(tx, admin, input.memberId, { to: input.level, reason, at, locked: input.lock, recordUnchanged: true });
      // Unlocked, the member may already qualify for more.
      if (!input.lock) await this.reviewSoon(tx, [input.memberId]);
    });
  }

  /** Records that a daily review found the member failing their level since `since` (null: meeting it again). */
  async setFailingSince(tx: Tx, memberId: string, since: Date | null): Promise<void> {
    await tx.query(`UPDATE member_trust SET failing_since = $2, updated_at = now() WHERE member_id = $1`, [memberId, since]);
  }

  /** Marks members for a look at their level: now, or at `at` (whichever comes first). */
  async reviewSoon(tx: Tx, memberIds: readonly string[], at?: Date): Promise<void> {
    if (memberIds.length === 0) return;
    if (!at) {
      await tx.query(`SELECT trust_review_soon($1::uuid[])`, [memberIds]);
      return;
    }
    await tx.query(
      `INSERT INTO trust_reviews_due (member_id, due_at) SELECT DISTINCT u.id, $2::timestamptz FROM unnest($1::uuid[]) AS u(id) ORDER BY u.id
       ON CONFLICT (member_id) DO UPDATE SET due_at = excluded.due_at WHERE trust_reviews_due.due_at > excluded.due_at`,
      [memberIds, at],
    );
  }

  /**
   * Takes up to `limit` members due for a look at `at`, oldest first, off the
   * list (each taken by one worker). A look that fails puts its member back
   * with reviewSoon; an event after the taking adds them again.
   */
  async takeDue(at: Date, limit: number): Promise<string[]> {
    const rows = await this.transactions.query<{ memberId: string }>(
      `DELETE FROM trust_reviews_due WHERE member_id IN (
         SELECT member_id FROM trust_reviews_due WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING member_id AS "memberId"`,
      [at, limit],
    );
    return rows.map((r) => r.memberId);
  }

  /** Claims the daily review of `day` (YYYY-MM-DD); false when it was claimed already. */
  async claimDailyReview(day: string): Promise<boolean> {
    const rows = await this.transactions.query(
      `INSERT INTO trust_daily_reviews (day) VALUES ($1) ON CONFLICT (day) DO NOTHING RETURNING day`,
      [day],
    );
    return rows.length > 0;
  }

  /** Members whose level the daily review looks at (above NEW, reached on their own, not locked). */
  async automaticallyHeld(): Promise<Array<{ memberId: string } & TrustStanding>> {
    return this.transactions.query(
      `SELECT member_id AS "memberId", level, since, locked, failing_since AS "failingSince" FROM member_trust
        WHERE level IN ('BASIC', 'MEMBER', 'TRUSTED') AND NOT locked ORDER BY member_id`,
    );
  }

  private async lockedStanding(tx: Tx, memberId: string): Promise<TrustStanding> {
    const [row] = await tx.query<TrustStanding>(
      `SELECT level, since, locked, failing_since AS "failingSince" FROM member_trust WHERE member_id = $1 FOR UPDATE`,
      [memberId],
    );
    return row ?? NEW_SINCE_JOINING;
  }
}

export const TRUST_REVIEWER = systemActor('trust review');
