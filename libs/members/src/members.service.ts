import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { AppConfig } from '@sharepool/config';
import { LedgerService } from '@sharepool/ledger';
import { cursorTimeSql, decodeCursor, entityFields, isUniqueViolation, keysetPage, TransactionRunner, type Tx } from '@sharepool/database';
import {
  type Actor,
  hasRole,
  InvalidInputError,
  NotFoundError,
  type Page,
  type PageRequest,
  PermissionDeniedError,
  ConflictError,
  requireMember,
  requireRole,
  requireSession,
  type Role,
  ROLES,
} from '@sharepool/kernel';
import { validateBio, validateDisplayName, validateReason } from './member-input.rules.js';
import { MemberEntity, type MemberStatus } from './member.entity.js';
import { type Member, MEMBER_FIELDS } from './member.fields.js';
import { EmailTakenError, HandleTakenError, LastAdminError } from './members.errors.js';

export interface NewMember {
  readonly email: string;
  readonly handle: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly role?: Role;
  /** The address is known to be theirs (the bootstrap admin): no verification is asked. */
  readonly emailVerified?: boolean;
}

export interface MemberSearch {
  readonly search?: string | null;
  readonly status?: MemberStatus | null;
  readonly role?: Role | null;
}

/** What another lib does, inside the suspension's transaction, when a member is suspended (auth ends their sessions). */
export type SuspensionListener = (tx: Tx, memberId: string) => Promise<void>;

const readMember = (row: Record<string, unknown>): Member => MEMBER_FIELDS.read(row);
const STATUS = entityFields(MemberEntity, ['status']);
/** Read only to check a password (findWithPasswordHash). */
const PASSWORD_HASH = entityFields(MemberEntity, ['passwordHash']);

/** A UUID (version 4 form) derived from `seed`: the same seed, the same id. */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Members: their profiles, lookups, and what moderators and admins do to them. */
@Injectable()
export class MembersService {
  private readonly suspensionListeners: SuspensionListener[] = [];

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly ledger: LedgerService,
    private readonly config: AppConfig,
  ) {}

  /** Registers what runs in every suspension's transaction (libs above this one cannot be called from it). */
  onSuspension(listener: SuspensionListener): void {
    this.suspensionListeners.push(listener);
  }

  /**
   * A new member inside the caller's transaction, with their credit account,
   * so no member ever exists without one. The signup grant comes with it, or,
   * where addresses are verified (EMAIL_VERIFICATION=required), once the
   * member proves theirs (confirmEmail): fake accounts earn nothing.
   */
  async enrol(tx: Tx, member: NewMember): Promise<Member> {
    const created = await this.create(tx, member);
    await this.ledger.openMemberAccount(tx, created.id);
    if (member.emailVerified || !this.config.emailVerificationRequired) await this.grantSignup(tx, created.id);
    return created;
  }

  /**
   * The signup grant, once per member whoever asks and however often: its
   * transfer id is derived from the member's, so a second grant is a replay.
   */
  private async grantSignup(tx: Tx, memberId: string): Promise<void> {
    if (this.config.signupGrant <= 0) return;
    await this.ledger.transfer(tx, {
      id: derivedUuid(`${memberId}:signup-grant`),
      debit: { system: 'ISSUANCE' },
      credit: { member: memberId },
      amount: this.config.signupGrant,
      kind: 'SIGNUP_GRANT',
      memberId,
      memo: 'Welcome to Sharepool',
    });
  }

  /**
   * The member proved they read `email` (a verification link): their address
   * is verified and, the first time, the signup grant is credited. Returns the
   * member, or null when the address is no longer theirs.
   */
  async confirmEmail(memberId: string, email: string): Promise<{ member: Member; firstTime: boolean } | null> {
    return this.transactions.run(async (tx) => {
      const [row] = await tx.query(`SELECT ${MEMBER_FIELDS.sql('m')} FROM members m WHERE m.id = $1 AND m.email = $2 FOR UPDATE`, [
        memberId,
        email,
      ]);
      if (!row) return null;
      const member = readMember(row);
      if (member.emailVerifiedAt) return { member, firstTime: false };
      const [verified] = await tx.query(
        `UPDATE members m SET email_verified_at = now(), updated_at = now() WHERE m.id = $1 RETURNING ${MEMBER_FIELDS.sql('m')}`,
        [memberId],
      );
      await this.grantSignup(tx, memberId);
      return { member: readMember(verified!), firstTime: true };
    });
  }

  /** The member with this email, or null (for the auth lib's sign-up and login notices). */
  async findByEmail(tx: Tx, email: string): Promise<Member | null> {
    const [row] = await tx.query(`SELECT ${MEMBER_FIELDS.sql('m')} FROM members m WHERE m.email = $1`, [email]);
    return row ? readMember(row) : null;
  }

  /** Whether a member has this handle (whatever its case). */
  async handleTaken(tx: Tx, handle: string): Promise<boolean> {
    return (await tx.query(`SELECT 1 FROM members WHERE lower(handle) = lower($1)`, [handle])).length > 0;
  }

  /** Inserts a member; a taken email or handle is CONFLICT. */
  private async create(tx: Tx, member: NewMember): Promise<Member> {
    try {
      const [row] = await tx.query(
        `INSERT INTO members AS m (email, handle, display_name, password_hash, role, email_verified_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END) RETURNING ${MEMBER_FIELDS.sql('m')}`,
        [member.email, member.handle, member.displayName, member.passwordHash, member.role ?? 'MEMBER', member.emailVerified === true],
      );
      return readMember(row!);
    } catch (error) {
      if (isUniqueViolation(error, 'members_email_key')) throw new EmailTakenError();
      if (isUniqueViolation(error, 'members_handle_key')) throw new HandleTakenError(member.handle);
      throw error;
    }
  }

  /** Members by id, in one query (for DataLoaders and authentication). */
  async findByIds(ids: readonly string[]): Promise<Member[]> {
    if (ids.length === 0) return [];
    // SQL, not the repository: every list of posts or shares loads its members here, and a
    // repository's find costs several times the CPU of the statement itself.
    return (await this.transactions.query(`SELECT ${MEMBER_FIELDS.sql('m')} FROM members m WHERE m.id = ANY($1::uuid[])`, [ids])).map(
      readMember,
    );
  }

  /**
   * The member an access token names, for authentication: one statement on
   * every request that does not find the member remembered, so it runs as a
   * prepared statement.
   */
  async findForAuthentication(id: string): Promise<Member | null> {
    const [row] = await this.transactions.queryPrepared(`SELECT ${MEMBER_FIELDS.sql('m')} FROM members m WHERE m.id = $1`, [id]);
    return row ? readMember(row) : null;
  }

  /** The member with this (normalised) email and their password hash, to check a password against. */
  async findWithPasswordHash(email: string): Promise<{ member: Member; passwordHash: string } | null> {
    const [row] = await this.transactions.query(
      `SELECT ${MEMBER_FIELDS.sql('m')}, ${PASSWORD_HASH.sql('m')} FROM members m WHERE m.email = $1`,
      [email],
    );
    return row ? { member: readMember(row), passwordHash: PASSWORD_HASH.read(row).passwordHash } : null;
  }

  /** A member inside the caller's transaction (null when there is none). */
  async findInTransaction(tx: Tx, id: string): Promise<Member | null> {
    return tx.manager.findOne(MemberEntity, { select: MEMBER_FIELDS.select, where: { id } });
  }

  /**
   * Locks the member's row for the rest of the transaction: what serialises a
   * member's own concurrent use cases (shares against the daily cap, channels
   * and API keys against their caps). Returns the member's status as locked
   * (null when there is no such member).
   */
  async lock(tx: Tx, memberId: string): Promise<MemberStatus | null> {
    const [row] = await tx.query(`SELECT ${STATUS.sql('m')} FROM members m WHERE m.id = $1 FOR UPDATE`, [memberId]);
    return row ? STATUS.read(row).status : null;
  }

  /** Members who joined on each of the last `days` UTC days, oldest first. */
  joinedPerDay(days: number): Promise<Array<{ day: Date; count: number }>> {
    return this.transactions.query(
      `SELECT d.day::timestamp AT TIME ZONE 'UTC' AS day, count(m.id)::int AS count
         FROM generate_series((now() AT TIME ZONE 'UTC')::date - ($1::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)
         LEFT JOIN members m ON m.created_at >= d.day AT TIME ZONE 'UTC' AND m.created_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
        GROUP BY d.day ORDER BY d.day`,
      [days],
    );
  }

  /**
   * The member with this handle, or null. A lookup never fails on the handle's
   * shape; suspended members are visible to moderators and admins only.
   */
  async findByHandle(actor: Actor, handle: string): Promise<Member | null> {
    if (typeof handle !== 'string' || handle.length > 64) return null;
    if (actor.kind === 'member') requireMember(actor, 'READ');
    const [row] = await this.transactions.query(`SELECT ${MEMBER_FIELDS.sql('m')} FROM members m WHERE lower(m.handle) = lower($1)`, [
      handle.trim(),
    ]);
    const member = row ? readMember(row) : null;
    return member && this.isVisible(actor, member) ? member : null;
  }

  /** Whether `actor` may see `member`: everyone sees active members, moderators see all. */
  isVisible(actor: Actor, member: Member): boolean {
    return member.status === 'ACTIVE' || hasRole(actor, 'MODERATOR') || (actor.kind === 'member' && actor.memberId === member.id);
  }

  async updateProfile(actor: Actor, input: { displayName?: string | null; bio?: string | null }): Promise<Member> {
    const me = requireSession(actor);
    const sets: string[] = [];
    const params: unknown[] = [me.memberId];
    if (input.displayName !== undefined && input.displayName !== null) {
      params.push(validateDisplayName(input.displayName));
      sets.push(`display_name = $${params.length}`);
    }
    if (input.bio !== undefined) {
      params.push(validateBio(input.bio));
      sets.push(`bio = $${params.length}`);
    }
    if (sets.length === 0) throw new InvalidInputError(undefined, 'Nothing to update: give a displayName or a bio');
    const [row] = await this.transactions.run((tx) =>
      tx.query(`UPDATE members m SET ${sets.join(', ')}, updated_at = now() WHERE m.id = $1 RETURNING ${MEMBER_FIELDS.sql('m')}`, params),
    );
    return readMember(row!);
  }

  /**
   * Suspends a member at once: their tokens and API keys stop working on the next
   * request and their sessions are revoked (and their trust level drops to NEW:
   * libs/trust follows the status). Moderators may suspend members only; admins
   * anyone but themselves.
   */
  async suspend(actor: Actor, memberId: string, reason: string): Promise<Member> {
    const moderator = requireRole(actor, 'MODERATOR');
    const why = validateReason(reason);
    if (moderator.memberId === memberId) throw new PermissionDeniedError('You cannot suspend yourself');
    return this.transactions.run(async (tx) => {
      const target = await this.lockForChange(tx, memberId);
      if (target.role !== 'MEMBER' && moderator.role !== 'ADMIN') {
        throw new PermissionDeniedError('Moderators can suspend members only; ask an admin');
      }
      if (target.status === 'SUSPENDED') throw new ConflictError(`@${target.handle} is already suspended`);
      if (target.role === 'ADMIN') await this.assertAnotherActiveAdmin(tx, target.id, 'suspend');
      const [row] = await tx.query(
        `UPDATE members m SET status = 'SUSPENDED', suspended_reason = $2, suspended_at = now(), suspended_by = $3, updated_at = now()
          WHERE m.id = $1 RETURNING ${MEMBER_FIELDS.sql('m')}`,
        [memberId, why, moderator.memberId],
      );
      for (const listener of this.suspensionListeners) await listener(tx, memberId);
      await this.audit.record(tx, moderator, { action: 'MEMBER_SUSPENDED', targetType: 'Member', targetId: memberId, reason: why });
      return readMember(row!);
    });
  }

  /** Lifts a suspension; the member signs in again. */
  async reinstate(actor: Actor, memberId: string, reason: string): Promise<Member> {
    const moderator = requireRole(actor, 'MODERATOR');
    const why = validateReason(reason);
    return this.transactions.run(async (tx) => {
      const target = await this.lockForChange(tx, memberId);
      if (target.role !== 'MEMBER' && moderator.role !== 'ADMIN') {
        throw new PermissionDeniedError('Moderators can reinstate members only; ask an admin');
      }
      if (target.status === 'ACTIVE') throw new ConflictError(`@${target.handle} is not suspended`);
      const [row] = await tx.query(
        `UPDATE members m SET status = 'ACTIVE', suspended_reason = NULL, suspended_at = NULL, suspended_by = NULL, updated_at = now()
          WHERE m.id = $1 RETURNING ${MEMBER_FIELDS.sql('m')}`,
        [memberId],
      );
      await this.audit.record(tx, moderator, { action: 'MEMBER_REINSTATED', targetType: 'Member', targetId: memberId, reason: why });
      return readMember(row!);
    });
  }

  /** ADMIN: gives a member a role; the last active admin keeps theirs. */
  async setRole(actor: Actor, memberId: string, role: Role): Promise<Member> {
    const admin = requireRole(actor, 'ADMIN');
    if (!ROLES.includes(role)) throw new InvalidInputError('role', 'role must be MEMBER, MODERATOR or ADMIN');
    return this.transactions.run(async (tx) => {
      const target = await this.lockForChange(tx, memberId);
      if (target.role === role) return target;
      if (target.role === 'ADMIN') await this.assertAnotherActiveAdmin(tx, target.id, 'demote');
      const [row] = await tx.query(
        `UPDATE members m SET role = $2, updated_at = now() WHERE m.id = $1 RETURNING ${MEMBER_FIELDS.sql('m')}`,
        [memberId, role],
      );
      await this.audit.record(tx, admin, {
        action: 'ROLE_CHANGED',
        targetType: 'Member',
        targetId: memberId,
        details: { from: target.role, to: role },
      });
      return readMember(row!);
    });
  }

  /** MODERATOR or ADMIN: members by handle, email or name, newest first. */
  async search(actor: Actor, page: PageRequest, filters: MemberSearch): Promise<Page<Member>> {
    requireRole(actor, 'MODERATOR', 'READ');
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const text = filters.search?.trim()
      ? `%${filters.search
          .trim()
          .toLowerCase()
          .replace(/[\\%_]/g, '\\$&')}%`
      : null;
    const where = `($1::text IS NULL OR lower(m.handle) LIKE $1 OR m.email LIKE $1 OR lower(m.display_name) LIKE $1)
      AND ($2::text IS NULL OR m.status = $2) AND ($3::text IS NULL OR m.role = $3)`;
    const params = [text, filters.status ?? null, filters.role ?? null];
    const rows = await this.transactions.query<{ cursorTime: string }>(
      `SELECT ${MEMBER_FIELDS.sql('m')}, ${cursorTimeSql('m.created_at')} AS "cursorTime" FROM members m WHERE ${where}
         AND ($4::timestamptz IS NULL OR (m.created_at, m.id) < ($4::timestamptz, $5::uuid))
       ORDER BY m.created_at DESC, m.id DESC LIMIT $6`,
      [...params, after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map((row) => ({ ...readMember(row), cursorTime: row.cursorTime })),
      page,
      (m) => [m.cursorTime, m.id],
      async () =>
        Number((await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM members m WHERE ${where}`, params))[0]!.n),
    );
  }

  private async lockForChange(tx: Tx, memberId: string): Promise<Member> {
    const member = await tx.manager.findOne(MemberEntity, {
      select: MEMBER_FIELDS.select,
      where: { id: memberId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!member) throw new NotFoundError('Member');
    return member;
  }

  /** Locks the active admins so two admins cannot demote each other at once and leave none. */
  private async assertAnotherActiveAdmin(tx: Tx, exceptId: string, action: string): Promise<void> {
    const admins = await tx.manager.find(MemberEntity, {
      select: { id: true },
      where: { role: 'ADMIN', status: 'ACTIVE' },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!admins.some((a) => a.id !== exceptId)) throw new LastAdminError(action);
  }

  /*
   * The first admin, made at start-up by auth's AdminBootstrap under its lock:
   * whether any admin exists, the account of an email, making it an admin,
   * whether a handle is taken.
   */

  async anyAdmin(tx: Tx): Promise<boolean> {
    return tx.manager.exists(MemberEntity, { where: { role: 'ADMIN' } });
  }

  async lockByEmail(tx: Tx, email: string): Promise<Member | null> {
    return tx.manager.findOne(MemberEntity, { select: MEMBER_FIELDS.select, where: { email }, lock: { mode: 'pessimistic_write' } });
  }

  async makeAdmin(tx: Tx, memberId: string): Promise<void> {
    await tx.manager.update(MemberEntity, { id: memberId }, { role: 'ADMIN', updatedAt: () => 'now()' });
  }

  async isHandleTaken(tx: Tx, handle: string): Promise<boolean> {
    return (await tx.query(`SELECT 1 FROM members WHERE lower(handle) = lower($1)`, [handle])).length > 0;
  }
}
