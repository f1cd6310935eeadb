import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Not } from 'typeorm';
import { entityFields, isUniqueViolation, TransactionRunner, type Tx } from '@sharepool/database';
import { ConflictError, PermissionDeniedError } from '@sharepool/kernel';
import { MembersService } from '@sharepool/members';
import { ChannelEntity } from './channel.entity.js';
import { type Channel, CHANNEL_FIELDS } from './channel.fields.js';
import { CredentialCipher } from './credential-cipher.js';
import type { ChannelCredentials, Network } from './networks/network-adapter.js';

/** The channel of an account being connected, if the member has one. */
const SAME_ACCOUNT = entityFields(ChannelEntity, ['id', 'status']);

/** Channels a member may have connected at once. */
export const MAX_CHANNELS = 50;

/** How long an audience read from the network stands before it is read again. */
export const AUDIENCE_RECHECK = '1 day';

/** When the tokens of a connection end (all null for credentials that do not expire). */
export interface TokenLifetimes {
  readonly accessExpiresAt: Date | null;
  readonly refreshExpiresAt: Date | null;
  /** The credentials hold a refresh token. */
  readonly refreshable: boolean;
}

export const NO_EXPIRY: TokenLifetimes = { accessExpiresAt: null, refreshExpiresAt: null, refreshable: false };

/** An account whose credentials work, to be kept as a channel of a member. */
export interface AccountConnection {
  readonly memberId: string;
  readonly network: Network;
  readonly handle: string;
  /** The network's own id of the account, when it has one. */
  readonly accountId: string | null;
  readonly credentials: ChannelCredentials;
  /** Followers as the network counts them (verified); null when the network does not say. */
  readonly networkAudience: number | null;
  /** Followers as the member states them: kept only where the network does not say. */
  readonly statedAudience: number | null;
  readonly tokens: TokenLifetimes;
  /**
   * Which channel of the same account takes the new credentials: one that needs
   * reconnecting ('needs-reauth', pasted credentials: an active one is a
   * CONFLICT), or any (OAuth: connecting again renews an active channel too).
   */
  readonly repairs: 'needs-reauth' | 'any';
}

/**
 * Keeps a connected account as a member's channel, in one transaction: the
 * channel of the same account is repaired (same id, new credentials, active
 * again) or a new one is added. The account is recognised by the network's id,
 * or by its handle for channels connected before ids were kept.
 */
@Injectable()
export class ChannelRegistry {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly members: MembersService,
  ) {}

  register(connection: AccountConnection): Promise<Channel> {
    return this.transactions.run(async (tx) => {
      if ((await this.members.lock(tx, connection.memberId)) !== 'ACTIVE') throw new PermissionDeniedError('Your account is suspended');
      const [found] = await tx.query(
        `SELECT ${SAME_ACCOUNT.sql('c')} FROM channels c
          WHERE c.member_id = $1 AND c.network = $2 AND c.status <> 'DISCONNECTED'
            AND (c.account_id = $3 OR (c.account_id IS NULL AND lower(c.handle) = lower($4)))
          ORDER BY (c.account_id IS NOT NULL) DESC LIMIT 1 FOR UPDATE`,
        [connection.memberId, connection.network, connection.accountId, connection.handle],
      );
      const existing = found ? SAME_ACCOUNT.read(found) : null;
      try {
        if (existing && (existing.status === 'NEEDS_REAUTH' || connection.repairs === 'any')) {
          return await this.repair(tx, existing.id, connection);
        }
        if (existing) throw new ConflictError(`This ${connection.network} account is already connected`, { field: 'handle' });
        return await this.add(tx, connection);
      } catch (error) {
        if (isUniqueViolation(error, 'channels_one_connected') || isUniqueViolation(error, 'channels_one_account')) {
          throw new ConflictError(`This ${connection.network} account is already connected`, { field: 'handle' });
        }
        throw error;
      }
    });
  }

  private async repair(tx: Tx, id: string, connection: AccountConnection): Promise<Channel> {
    const { audience, verified } = audienceOf(connection);
    const [channel] = await tx.query(
      `UPDATE channels c SET credentials_sealed = $2, status = 'ACTIVE', status_reason = NULL, handle = $3,
              account_id = coalesce($4, c.account_id),
              audience_size = coalesce($5, c.audience_size), audience_verified = $6,
              audience_checked_at = CASE WHEN $6 THEN now() END,
              audience_check_due = now() + interval '${AUDIENCE_RECHECK}',
              access_expires_at = $7, refresh_expires_at = $8, refreshable = $9,
              refresh_lease = NULL, refresh_lease_until = NULL, updated_at = now()
        WHERE c.id = $1 RETURNING ${CHANNEL_FIELDS.sql('c')}`,
      [
        id,
        this.cipher.encrypt(id, connection.credentials),
        connection.handle,
        connection.accountId,
        audience,
        verified,
        ...tokenParams(connection),
      ],
    );
    return CHANNEL_FIELDS.read(channel!);
  }

  private async add(tx: Tx, connection: AccountConnection): Promise<Channel> {
    const n = await tx.manager.count(ChannelEntity, { where: { memberId: connection.memberId, status: Not('DISCONNECTED') } });
    if (n >= MAX_CHANNELS) throw new ConflictError(`You already have ${MAX_CHANNELS} channels connected; disconnect one first`);
    const id = randomUUID();
    const { audience, verified } = audienceOf(connection);
    const [channel] = await tx.query(
      `INSERT INTO channels AS c (id, member_id, network, handle, account_id, audience_size, audience_verified, audience_checked_at,
                                  audience_check_due, credentials_sealed, access_expires_at, refresh_expires_at, refreshable)
       VALUES ($1, $2, $3, $4, $5, coalesce($6, 0), $7, CASE WHEN $7 THEN now() END, now() + interval '${AUDIENCE_RECHECK}',
               $8, $9, $10, $11)
       RETURNING ${CHANNEL_FIELDS.sql('c')}`,
      [
        id,
        connection.memberId,
        connection.network,
        connection.handle,
        connection.accountId,
        audience,
        verified,
        this.cipher.encrypt(id, connection.credentials),
        ...tokenParams(connection),
      ],
    );
    return CHANNEL_FIELDS.read(channel!);
  }
}

/** The network's figure where it gives one (verified); else what the member stated (unverified). */
function audienceOf(connection: AccountConnection): { audience: number | null; verified: boolean } {
  if (connection.networkAudience !== null) return { audience: connection.networkAudience, verified: true };
  return { audience: connection.statedAudience, verified: false };
}

function tokenParams({ tokens }: AccountConnection): [Date | null, Date | null, boolean] {
  return [tokens.accessExpiresAt, tokens.refreshExpiresAt, tokens.refreshable];
}
