import { Injectable } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { TransactionRunner } from '@sharepool/database';
import {
  type Actor,
  API_SCOPES,
  type ApiScope,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  requireMember,
  requireSession,
} from '@sharepool/kernel';
import { generateApiKeySecret } from './api-key-secrets.js';

export interface ApiKeyRecord {
  readonly id: string;
  readonly memberId: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: ApiScope[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Active keys a member may hold at once. */
export const MAX_ACTIVE_API_KEYS = 20;
/** A member's key list is short; revoked keys beyond this are not listed. */
const MAX_KEYS_LISTED = 100;

const COLUMNS = `k.id, k.member_id AS "memberId", k.name, k.prefix, k.scopes, k.created_at AS "createdAt",
  k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt"`;

/** Partner API keys: created and revoked by the member in a signed-in session. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /** A new key; its secret is returned here once and never again. */
  async create(actor: Actor, input: { name: string; scopes: readonly ApiScope[] }): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
    const me = requireSession(actor);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 80) throw new InvalidInputError('name', 'A key name is 1 to 80 characters');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw new InvalidInputError('scopes', 'Choose at least one scope');
    if (scopes.some((s) => !API_SCOPES.includes(s))) throw new InvalidInputError('scopes', 'Scopes are READ, SUBMIT and SHARE');
    scopes.sort((a, b) => API_SCOPES.indexOf(a) - API_SCOPES.indexOf(b));
    const { secret, hmac, prefix } = generateApiKeySecret(this.config.apiKeyPepper);
    return this.transactions.run(async (tx) => {
      // The member row is the lock that keeps two concurrent creations from both passing the cap.
      await tx.query(`SELECT 1 FROM members WHERE id = $1 FOR UPDATE`, [me.memberId]);
      const [{ active }] = (await tx.query<{ active: number }>(
        `SELECT count(*)::int AS active FROM api_keys WHERE member_id = $1 AND revoked_at IS NULL`,
        [me.memberId],
      )) as [{ active: number }];
      if (active >= MAX_ACTIVE_API_KEYS) {
        throw new ConflictError(`You already have ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`);
      }
      const [apiKey] = await tx.query<ApiKeyRecord>(
        `INSERT INTO api_keys AS k (member_id, name, prefix, secret_hmac, scopes) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [me.memberId, name, prefix, hmac, scopes],
      );
      return { apiKey: apiKey!, secret };
    });
  }

  /** The viewer's keys, newest first (revoked ones included, marked). */
  list(actor: Actor): Promise<ApiKeyRecord[]> {
    const me = requireMember(actor, 'READ');
    return this.transactions.query<ApiKeyRecord>(
      `SELECT ${COLUMNS} FROM api_keys k WHERE k.member_id = $1 ORDER BY k.created_at DESC, k.id DESC LIMIT ${MAX_KEYS_LISTED}`,
      [me.memberId],
    );
  }

  /** A key of the viewer's, or null (someone else's key is not visible). */
  async findOwn(actor: Actor, id: string): Promise<ApiKeyRecord | null> {
    if (actor.kind !== 'member') return null;
    const [row] = await this.transactions.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys k WHERE k.id = $1 AND k.member_id = $2`, [
      id,
      actor.memberId,
    ]);
    return row ?? null;
  }

  /** Revokes a key at once; revoking a revoked key returns it unchanged. */
  async revoke(actor: Actor, id: string): Promise<ApiKeyRecord> {
    const me = requireSession(actor);
    const [row] = await this.transactions.query<ApiKeyRecord>(
      `UPDATE api_keys k SET revoked_at = coalesce(revoked_at, now()) WHERE k.id = $1 AND k.member_id = $2 RETURNING ${COLUMNS}`,
      [id, me.memberId],
    );
    if (!row) throw new NotFoundError('API key');
    return row;
  }
}
