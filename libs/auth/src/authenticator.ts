import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { DatabaseChanges, entityFields, StampedCache, TransactionRunner } from '@sharepool/database';
import { AuthenticationError, type MemberActor } from '@sharepool/kernel';
import { type Member, MembersService, MemberSuspendedError } from '@sharepool/members';
import { apiKeyHmac } from './api-key-secrets.js';
import { ApiKeyEntity } from './api-key.entity.js';

/** What authenticating with a key reads of it. */
const PRESENTED_KEY = entityFields(ApiKeyEntity, ['id', 'memberId', 'scopes']);

/** Who a request's credentials belong to, with the member row (so the request need not load it again). */
export interface Authenticated {
  readonly actor: MemberActor;
  readonly member: Member;
}

/**
 * Turns credentials into an actor. A suspension, a role change or a revoked
 * key takes effect at once: API keys are read on every request, and the
 * members of access tokens are remembered only until the database says their
 * row changed (DatabaseChanges), or for a minute; while those notifications
 * cannot be heard, every request reads the member.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Authenticator');
  /** Members of access tokens, at most 10,000 for a minute each. */
  private readonly remembered = new StampedCache<Member>({ maxEntries: 10_000, ttlMs: 60_000 });

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly changes: DatabaseChanges,
    private readonly members: MembersService,
  ) {}

  /** The member of a verified access token. */
  async fromAccessToken(memberId: string): Promise<Authenticated> {
    const member = await this.memberOfToken(memberId);
    if (!member) throw new AuthenticationError('This access token belongs to no account');
    if (member.status !== 'ACTIVE') throw new MemberSuspendedError();
    return { member, actor: { kind: 'member', memberId: member.id, role: member.role, scopes: null, apiKeyId: null } };
  }

  private async memberOfToken(memberId: string): Promise<Member | null> {
    const stamp = this.changes.stamp('member', memberId);
    const known = this.remembered.get(memberId, stamp);
    if (known) return known;
    const member = await this.members.findForAuthentication(memberId);
    if (member) this.remembered.set(memberId, Object.freeze(member), stamp);
    return member;
  }

  /** The member of a partner API key, limited to the key's scopes. */
  async fromApiKey(secret: string): Promise<Authenticated> {
    const [row] = await this.transactions.query<{ stale: boolean }>(
      `SELECT ${PRESENTED_KEY.sql('k')}, (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute') AS stale
         FROM api_keys k WHERE k.secret_hmac = $1 AND k.revoked_at IS NULL`,
      [apiKeyHmac(this.config.apiKeyPepper, secret)],
    );
    if (!row) throw new AuthenticationError('This API key is not valid or was revoked');
    const { id: keyId, memberId, scopes } = PRESENTED_KEY.read(row);
    const member = await this.members.findForAuthentication(memberId);
    if (!member) throw new AuthenticationError('This API key is not valid or was revoked');
    if (member.status !== 'ACTIVE') throw new MemberSuspendedError();
    // At most once a minute per key, and off the request's path.
    if (row.stale) {
      this.transactions
        .query(
          `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
          [keyId],
        )
        .catch((error: Error) => this.logger.warn(`could not record the use of an API key: ${error.message}`));
    }
    return { member, actor: { kind: 'member', memberId: member.id, role: member.role, scopes, apiKeyId: keyId } };
  }
}
