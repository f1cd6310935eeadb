import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, NotFoundError, requireMember, requireSession } from '@sharepool/kernel';
import { credentialsFor, type ConnectChannelInput, NETWORK_NAMES, SECRET_FIELD } from './channel-input.rules.js';
import { CHANNEL_COLUMNS, type ChannelRecord } from './channel.record.js';
import { ChannelRegistry, MAX_CHANNELS, NO_EXPIRY } from './channel-registry.service.js';
import { CredentialCipher } from './credential-cipher.js';
import { type ChannelCredentials, type Network, NETWORKS, PublishError, type VerifiedAccount } from './networks/network-adapter.js';
import { NetworkAdapters } from './networks/network-adapters.js';

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
    private readonly registry: ChannelRegistry,
  ) {}

  /**
   * Connects an account from pasted credentials (partner apps, development; the
   * web client connects through the networks' consent pages). An account whose
   * channel needs reconnecting gets that channel back with the new credentials.
   */
  async connect(actor: Actor, input: ConnectChannelInput): Promise<{ channel: ChannelRecord; signingSecret: string | null }> {
    const me = requireSession(actor);
    if (!NETWORKS.includes(input.network)) throw new InvalidInputError('network', 'Unknown network');
    const handle = input.handle?.trim() ?? '';
    if (handle.length < 1 || handle.length > 200) throw new InvalidInputError('handle', 'A handle is 1 to 200 characters');
    const stated = input.audienceSize ?? null;
    if (stated !== null && (!Number.isInteger(stated) || stated < 0)) {
      throw new InvalidInputError('audienceSize', 'audienceSize is a whole number, 0 or more');
    }
    const { credentials, signingSecret } = credentialsFor(input);
    const verified = await this.verify(input.network, handle, credentials);
    const channel = await this.registry.register({
      memberId: me.memberId,
      network: input.network,
      handle: verified.handle ?? handle,
      accountId: verified.accountId,
      credentials,
      networkAudience: verified.audienceSize,
      statedAudience: stated,
      tokens: NO_EXPIRY,
      repairs: 'needs-reauth',
    });
    return { channel, signingSecret };
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
      `UPDATE channels c SET status = 'DISCONNECTED', credentials_sealed = '', disconnected_at = now(), updated_at = now(),
              refreshable = false, access_expires_at = NULL, refresh_expires_at = NULL, refresh_lease = NULL, refresh_lease_until = NULL
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

  private async verify(network: Network, handle: string, credentials: ChannelCredentials): Promise<VerifiedAccount> {
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
