import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AppConfig } from '@sharepool/config';
import { entityFields, type FieldsOf, TransactionRunner } from '@sharepool/database';
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
import { MembersService } from '@sharepool/members';
import { generateApiKeySecret } from './api-key-secrets.js';
import { ApiKeyEntity } from './api-key.entity.js';

/** A key as its member sees it (never its secret). */
const API_KEY_FIELDS = entityFields(ApiKeyEntity, ['id', 'memberId', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'revokedAt']);
export type ApiKey = FieldsOf<typeof API_KEY_FIELDS>;

/** Active keys a member may hold at once. */
export const MAX_ACTIVE_API_KEYS = 20;
/** A member's key list is short; revoked keys beyond this are not listed. */
const MAX_KEYS_LISTED = 100;

/** Partner API keys: created and revoked by the member in a signed-in session. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly members: MembersService,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
  ) {}

  /** A new key; its secret is returned here once and never again. */
  async create(actor: Actor, input: { name: string; scopes: readonly ApiScope[] }): Promise<{ apiKey: ApiKey; secret: string }> {
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
      await this.members.lock(tx, me.memberId);
      const active = await tx.manager.count(ApiKeyEntity, { where: { memberId: me.memberId, revokedAt: IsNull() } });
      if (active >= MAX_ACTIVE_API_KEYS) {
        throw new ConflictError(`You already have ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`);
      }
      const [row] = await tx.query(
        `INSERT INTO api_keys AS k (member_id, name, prefix, secret_hmac, scopes) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${API_KEY_FIELDS.sql('k')}`,
        [me.memberId, name, prefix, hmac, scopes],
      );
      return { apiKey: API_KEY_FIELDS.read(row!), secret };
    });
  }

  /** The viewer's keys, newest first (revoked ones included, marked). */
  list(actor: Actor): Promise<ApiKey[]> {
    const me = requireMember(actor, 'READ');
    return this.keys.find({
      select: API_KEY_FIELDS.select,
      where: { memberId: me.memberId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: MAX_KEYS_LISTED,
    });
  }

  /** A key of the viewer's, or null (someone else's key is not visible). */
  async findOwn(actor: Actor, id: string): Promise<ApiKey | null> {
    if (actor.kind !== 'member') return null;
    return this.keys.findOne({ select: API_KEY_FIELDS.select, where: { id, memberId: actor.memberId } });
  }

  /** Revokes a key at once; revoking a revoked key returns it unchanged. */
  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    const me = requireSession(actor);
    const [row] = await this.transactions.query(
      `UPDATE api_keys k SET revoked_at = coalesce(revoked_at, now()) WHERE k.id = $1 AND k.member_id = $2 RETURNING ${API_KEY_FIELDS.sql('k')}`,
      [id, me.memberId],
    );
    if (!row) throw new NotFoundError('API key');
    return API_KEY_FIELDS.read(row);
  }
}
