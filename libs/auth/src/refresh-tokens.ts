import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { entityFields, type Tx } from '@sharepool/database';
import { AuthenticationError } from '@sharepool/kernel';
import { MembersService } from '@sharepool/members';
import { RefreshTokenEntity } from './refresh-token.entity.js';

export const REFRESH_TOKEN_TTL_DAYS = 30;
/**
 * How long a token that was just used still answers, with the same successor:
 * a page reloaded in the middle of a refresh, or a second tab, presents the
 * token whose rotation it never heard about (like Auth0's reuse interval).
 */
export const REFRESH_GRACE_SECONDS = 30;

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/** What rotating a presented token reads of it. */
const PRESENTED_TOKEN = entityFields(RefreshTokenEntity, ['id', 'memberId', 'familyId']);
const FAMILY = entityFields(RefreshTokenEntity, ['familyId']);

/** A refresh token handed out, and the session (family) it belongs to. */
export interface IssuedRefreshToken {
  readonly token: string;
  readonly familyId: string;
}

/** What a presented refresh token turned out to be. */
export type RefreshOutcome =
  | { readonly kind: 'rotated'; readonly memberId: string; readonly token: string; readonly familyId: string }
  | { readonly kind: 'reused'; readonly memberId: string }
  /** Expired or revoked (signed out, suspended). */
  | { readonly kind: 'ended'; readonly memberId: string };

/**
 * Refresh tokens: random, stored only as a SHA-256 hash, rotated on every use.
 * All tokens rotated from one login form a family; presenting a token that was
 * already used, after the grace period, means it leaked, so the whole family
 * is revoked.
 *
 * A token's successor is derived from it with a server key (HMAC), so within
 * the grace period the same successor can be answered again without keeping
 * any token in clear.
 */
@Injectable()
export class RefreshTokens implements OnModuleInit {
  private readonly successorKey: Buffer;
  private readonly csrfKey: Buffer;

  constructor(
    config: AppConfig,
    private readonly members: MembersService,
  ) {
    this.successorKey = createHmac('sha256', config.jwtSecret).update('sharepool refresh-token successor').digest();
    this.csrfKey = createHmac('sha256', config.jwtSecret).update('sharepool session csrf').digest();
  }

  /** A suspension ends every session of the member, in its own transaction. */
  onModuleInit(): void {
    this.members.onSuspension((tx, memberId) => this.revokeAllOf(tx, memberId));
  }

  /** Starts a new family (a login or a registration). */
  async issue(tx: Tx, memberId: string): Promise<IssuedRefreshToken> {
    const familyId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.insert(tx, memberId, familyId, token);
    return { token, familyId };
  }

  /**
   * Uses `token` once: returns its successor in the same family (again, within
   * the grace period), or reports a reuse (the family is then revoked) or a
   * session that ended. Unknown tokens are UNAUTHENTICATED.
   */
  async rotate(tx: Tx, token: string): Promise<RefreshOutcome> {
    const [found] = await tx.query<{ used: boolean; inGrace: boolean; live: boolean }>(
      `SELECT ${PRESENTED_TOKEN.sql('t')}, t.used_at IS NOT NULL AS used,
              t.used_at > now() - make_interval(secs => ${REFRESH_GRACE_SECONDS}) AS "inGrace",
              t.revoked_at IS NULL AND t.expires_at > now() AS live
         FROM refresh_tokens t WHERE t.token_hash = $1 FOR UPDATE`,
      [hashOf(token)],
    );
    if (!found) throw new AuthenticationError('This refresh token is not valid; sign in again');
    const row = PRESENTED_TOKEN.read(found);
    const successor = this.successorOf(token);
    if (found.used) {
      if (found.inGrace && found.live && (await this.unusedAndLive(tx, successor))) {
        return { kind: 'rotated', memberId: row.memberId, token: successor, familyId: row.familyId };
      }
      await this.revokeFamily(tx, row.familyId);
      return { kind: 'reused', memberId: row.memberId };
    }
    if (!found.live) return { kind: 'ended', memberId: row.memberId };
    await tx.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [row.id]);
    await this.insert(tx, row.memberId, row.familyId, successor);
    return { kind: 'rotated', memberId: row.memberId, token: successor, familyId: row.familyId };
  }

  /** Ends the session `token` belongs to; false if the token is unknown. */
  async revokeFamilyOf(tx: Tx, token: string): Promise<boolean> {
    const familyId = await this.familyOf(tx, token);
    if (!familyId) return false;
    await this.revokeFamily(tx, familyId);
    return true;
  }

  /** The session (family) of a token, used or not; null when unknown. */
  async familyOf(tx: Tx, token: string): Promise<string | null> {
    const [row] = await tx.query(`SELECT ${FAMILY.sql('t')} FROM refresh_tokens t WHERE t.token_hash = $1`, [hashOf(token)]);
    return row ? FAMILY.read(row).familyId : null;
  }

  /** Ends every session of a member. */
  async revokeAllOf(tx: Tx, memberId: string): Promise<void> {
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL`, [memberId]);
  }

  /**
   * The CSRF token of a cookie session: bound to its family, so it stays the
   * same across rotations (tabs never race over it) and a token planted from
   * another site cannot match a session it does not know.
   */
  csrfTokenOf(familyId: string): string {
    return createHmac('sha256', this.csrfKey).update(familyId).digest('base64url');
  }

  csrfMatches(familyId: string, given: string): boolean {
    const expected = Buffer.from(this.csrfTokenOf(familyId));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private successorOf(token: string): string {
    return createHmac('sha256', this.successorKey).update(token).digest('base64url');
  }

  private async unusedAndLive(tx: Tx, token: string): Promise<boolean> {
    const [row] = await tx.query<{ ok: boolean }>(
      `SELECT used_at IS NULL AND revoked_at IS NULL AND expires_at > now() AS ok FROM refresh_tokens WHERE token_hash = $1`,
      [hashOf(token)],
    );
    return row?.ok ?? false;
  }

  private async insert(tx: Tx, memberId: string, familyId: string, token: string): Promise<void> {
    await tx.query(
      `INSERT INTO refresh_tokens (member_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(days => ${REFRESH_TOKEN_TTL_DAYS}))`,
      [memberId, familyId, hashOf(token)],
    );
  }

  private async revokeFamily(tx: Tx, familyId: string): Promise<void> {
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }
}
