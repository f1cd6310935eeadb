import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, ConflictError, InvalidInputError, NotFoundError, requireMember, requireSession } from '@sharepool/kernel';
import { CHANNEL_COLUMNS, type ChannelRecord } from './channel.record.js';
import { CredentialCipher } from './credential-cipher.js';
import { type ChannelCredentials, type Network, NETWORKS, PublishError } from './networks/network-adapter.js';
import { NetworkAdapters } from './networks/network-adapters.js';
import { newWebhookSecret } from './networks/webhook.adapter.js';

export interface ConnectChannelInput {
  readonly network: Network;
  readonly handle: string;
  readonly webhookUrl?: string | null;
  readonly instanceUrl?: string | null;
  readonly accessToken?: string | null;
  readonly appPassword?: string | null;
  readonly audienceSize?: number | null;
}

/** Channels a member may have connected at once. */
export const MAX_CHANNELS = 50;

const NETWORK_NAMES: Record<Network, string> = {
  WEBHOOK: 'The webhook',
  MASTODON: 'Mastodon',
  BLUESKY: 'Bluesky',
  X: 'X',
  LINKEDIN: 'LinkedIn',
};

/** The credential field a member must fix when the network refuses the credentials. */
const SECRET_FIELD: Record<Network, string> = {
  WEBHOOK: 'webhookUrl',
  MASTODON: 'accessToken',
  BLUESKY: 'appPassword',
  X: 'accessToken',
  LINKEDIN: 'accessToken',
};

function required(value: string | null | undefined, field: string, network: Network): string {
  const text = value?.trim() ?? '';
  if (!text) throw new InvalidInputError(field, `${NETWORK_NAMES[network]} channel needs ${field}`);
  if (text.length > 4096) throw new InvalidInputError(field, `${field} is too long`);
  return text;
}

function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(field, `${field} is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || value.length > 2048) {
    throw new InvalidInputError(field, `${field} must be an http(s) URL without a user name or password`);
  }
  return url.toString();
}

/**
 * Members' social channels. Credentials are checked with the network where it
 * allows, sealed with AES-256-GCM (the channel id as associated data) and never
 * returned; the webhook signing secret is shown once, on connecting.
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly adapters: NetworkAdapters,
  ) {}

  async connect(actor: Actor, input: ConnectChannelInput): Promise<{ channel: ChannelRecord; signingSecret: string | null }> {
    const me = requireSession(actor);
    if (!NETWORKS.includes(input.network)) throw new InvalidInputError('network', 'Unknown network');
    const handle = input.handle?.trim() ?? '';
    if (handle.length < 1 || handle.length > 200) throw new InvalidInputError('handle', 'A handle is 1 to 200 characters');
    const audience = input.audienceSize ?? null;
    if (audience !== null && (!Number.isInteger(audience) || audience < 0)) {
      throw new InvalidInputError('audienceSize', 'audienceSize is a whole number, 0 or more');
    }
    const { credentials, signingSecret } = credentialsFor(input);
    const verified = await this.verify(input.network, handle, credentials);
    return this.transactions.run(async (tx) => {
      await tx.query(`SELECT 1 FROM members WHERE id = $1 FOR UPDATE`, [me.memberId]);
      // Connecting an account whose channel needs reconnecting repairs that channel: same id, new credentials.
      const [stale] = await tx.query<{ id: string }>(
        `SELECT id FROM channels WHERE member_id = $1 AND network = $2 AND lower(handle) = lower($3) AND status = 'NEEDS_REAUTH' FOR UPDATE`,
        [me.memberId, input.network, verified.handle ?? handle],
      );
      if (stale) {
        const [channel] = await tx.query<ChannelRecord>(
          `UPDATE channels c SET credentials_sealed = $2, status = 'ACTIVE', status_reason = NULL,
                  audience_size = coalesce($3, c.audience_size), updated_at = now()
            WHERE c.id = $1 RETURNING ${CHANNEL_COLUMNS}`,
          [stale.id, this.cipher.encrypt(stale.id, credentials), audience ?? verified.audienceSize],
        );
        return { channel: channel!, signingSecret };
      }
      const id = randomUUID();
      const sealed = this.cipher.encrypt(id, credentials);
      const [{ n }] = (await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM channels WHERE member_id = $1 AND status <> 'DISCONNECTED'`,
        [me.memberId],
      )) as [{ n: number }];
      if (n >= MAX_CHANNELS) throw new ConflictError(`You already have ${MAX_CHANNELS} channels connected; disconnect one first`);
      try {
        const [channel] = await tx.query<ChannelRecord>(
          `INSERT INTO channels AS c (id, member_id, network, handle, audience_size, credentials_sealed)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CHANNEL_COLUMNS}`,
          [id, me.memberId, input.network, verified.handle ?? handle, audience ?? verified.audienceSize ?? 0, sealed],
        );
        return { channel: channel!, signingSecret };
      } catch (error) {
        if (isUniqueViolation(error, 'channels_one_connected')) {
          throw new ConflictError(`This ${input.network} account is already connected`, { field: 'handle' });
        }
        throw error;
      }
    });
  }

  /** The member's connected channels (disconnected ones are gone from the list). */
  list(actor: Actor): Promise<ChannelRecord[]> {
    const me = requireMember(actor, 'READ');
    return this.transactions.query<ChannelRecord>(
      `SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.member_id = $1 AND c.status <> 'DISCONNECTED' ORDER BY c.created_at, c.id LIMIT ${MAX_CHANNELS}`,
      [me.memberId],
    );
  }

  findByIds(ids: readonly string[]): Promise<ChannelRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.transactions.query<ChannelRecord>(`SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id = ANY($1::uuid[])`, [ids]);
  }

  /** Locks channels for a use case, in id order. */
  async lock(tx: Tx, ids: readonly string[]): Promise<ChannelRecord[]> {
    return tx.query<ChannelRecord>(`SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR UPDATE`, [
      ids,
    ]);
  }

  /** Marks a channel disconnected and forgets its credentials. */
  async markDisconnected(tx: Tx, id: string): Promise<ChannelRecord> {
    const [channel] = await tx.query<ChannelRecord>(
      `UPDATE channels c SET status = 'DISCONNECTED', credentials_sealed = '', disconnected_at = now(), updated_at = now()
        WHERE c.id = $1 RETURNING ${CHANNEL_COLUMNS}`,
      [id],
    );
    return channel!;
  }

  /** The network refused the credentials: the member must reconnect. */
  async markNeedsReauth(tx: Tx, id: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE channels SET status = 'NEEDS_REAUTH', status_reason = $2, updated_at = now() WHERE id = $1 AND status = 'ACTIVE'`,
      [id, reason.slice(0, 500)],
    );
  }

  /** Opens credentials read with the channel row (CredentialDecryptionError when they do not open). */
  unseal(channelId: string, sealed: string): ChannelCredentials {
    if (!sealed) throw new NotFoundError('Channel');
    return this.cipher.decrypt(channelId, sealed);
  }

  private async verify(network: Network, handle: string, credentials: ChannelCredentials) {
    try {
      return await this.adapters.get(network).verify(handle, credentials);
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      const field = SECRET_FIELD[network];
      if (error.kind === 'AUTH_EXPIRED' || error.kind === 'PERMANENT') {
        throw new InvalidInputError(field, `${NETWORK_NAMES[network]} did not accept these credentials: ${error.reason}`);
      }
      throw new InvalidInputError(
        field,
        `${NETWORK_NAMES[network]} could not be reached to check the credentials; try again (${error.reason})`,
      );
    }
  }
}

/** The credentials a network needs, from the input; a webhook gets a new signing secret. */
function credentialsFor(input: ConnectChannelInput): { credentials: ChannelCredentials; signingSecret: string | null } {
  switch (input.network) {
    case 'WEBHOOK': {
      const signingSecret = newWebhookSecret();
      return {
        credentials: { webhookUrl: httpUrl(required(input.webhookUrl, 'webhookUrl', 'WEBHOOK'), 'webhookUrl'), signingSecret },
        signingSecret,
      };
    }
    case 'MASTODON':
      return {
        credentials: {
          instanceUrl: httpUrl(required(input.instanceUrl, 'instanceUrl', 'MASTODON'), 'instanceUrl'),
          accessToken: required(input.accessToken, 'accessToken', 'MASTODON'),
        },
        signingSecret: null,
      };
    case 'BLUESKY':
      return {
        credentials: {
          appPassword: required(input.appPassword, 'appPassword', 'BLUESKY'),
          ...(input.instanceUrl?.trim() ? { instanceUrl: httpUrl(input.instanceUrl.trim(), 'instanceUrl') } : {}),
        },
        signingSecret: null,
      };
    case 'X':
    case 'LINKEDIN':
      return { credentials: { accessToken: required(input.accessToken, 'accessToken', input.network) }, signingSecret: null };
  }
}
