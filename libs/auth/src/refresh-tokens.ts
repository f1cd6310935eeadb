import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Tx } from '@sharepool/database';
import { AuthenticationError } from '@sharepool/kernel';

export const REFRESH_TOKEN_TTL_DAYS = 30;

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/** What a presented refresh token turned out to be. */
export type RefreshOutcome =
  | { readonly kind: 'rotated'; readonly memberId: string; readonly token: string }
  | { readonly kind: 'reused'; readonly memberId: string }
  /** Expired or revoked (signed out, suspended). */
  | { readonly kind: 'ended'; readonly memberId: string };

/**
 * Refresh tokens: random, stored only as a SHA-256 hash, rotated on every use.
 * All tokens rotated from one login form a family; presenting a token that was
 * already used means it leaked, so the whole family is revoked.
 */
@Injectable()
export class RefreshTokens {
  /** Starts a new family (a login or a registration). */
  async issue(tx: Tx, memberId: string, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await tx.query(
      `INSERT INTO refresh_tokens (member_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(days => ${REFRESH_TOKEN_TTL_DAYS}))`,
      [memberId, familyId, hashOf(token)],
    );
    return token;
  }

  /**
   * Uses `token` once: returns its successor in the same family, or reports a
   * reuse (the family is then revoked) or a session that ended. Unknown tokens
   * are UNAUTHENTICATED.
   */
  async rotate(tx: Tx, token: string): Promise<RefreshOutcome> {
    const [row] = await tx.query<{ id: string; member_id: string; family_id: string; used: boolean; live: boolean }>(
      `SELECT id, member_id, family_id, used_at IS NOT NULL AS used, revoked_at IS NULL AND expires_at > now() AS live
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hashOf(token)],
    );
    if (!row) throw new AuthenticationError('This refresh token is not valid; sign in again');
    if (row.used) {
      await this.revokeFamily(tx, row.family_id);
      return { kind: 'reused', memberId: row.member_id };
    }
    if (!row.live) return { kind: 'ended', memberId: row.member_id };
    await tx.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [row.id]);
    return { kind: 'rotated', memberId: row.member_id, token: await this.issue(tx, row.member_id, row.family_id) };
  }

  /** Ends the session `token` belongs to; false if the token is unknown. */
  async revokeFamilyOf(tx: Tx, token: string): Promise<boolean> {
    const [row] = await tx.query<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, [hashOf(token)]);
    if (!row) return false;
    await this.revokeFamily(tx, row.family_id);
    return true;
  }

  private async revokeFamily(tx: Tx, familyId: string): Promise<void> {
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }
}
