import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, type Repository } from 'typeorm';
import { type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, NotFoundError, requireMember, requireSession } from '@sharepool/kernel';
import { credentialsFor, type ConnectChannelInput, NETWORK_NAMES, SECRET_FIELD } from './channel-input.rules.js';
import { ChannelEntity } from './channel.entity.js';
import { type Channel, CHANNEL_FIELDS } from './channel.fields.js';
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
    @InjectRepository(ChannelEntity) private readonly channels: Repository<ChannelEntity>,
    private readonly cipher: CredentialCipher,
    private readonly adapters: NetworkAdapters,
    private readonly registry: ChannelRegistry,
  ) {}

  /**
   * Connects an account from pasted credentials (partner apps, development; the
   * web client connects through the networks' consent pages). An account whose
   * channel needs reconnecting gets that channel back with the new credentials.
   */
  async connect(actor: Actor, input: ConnectChannelInput): Promise<{ channel: Channel; signingSecret: string | null }> {
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
  list(actor: Actor): Promise<Channel[]> {
    const me = requireMember(actor, 'READ');
    return this.channels.find({
      select: CHANNEL_FIELDS.select,
      where: { memberId: me.memberId, status: Not('DISCONNECTED') },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: MAX_CHANNELS,
    });
  }

  findByIds(ids: readonly string[]): Promise<Channel[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.channels.find({ select: CHANNEL_FIELDS.select, where: { id: In(ids) } });
  }

  /** Locks channels for a use case, in id order. */
  async lock(tx: Tx, ids: readonly string[]): Promise<Channel[]> {
    if (ids.length === 0) return [];
    return tx.manager.find(ChannelEntity, {
      select: CHANNEL_FIELDS.select,
      where: { id: In(ids) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Marks a channel disconnected and forgets its credentials. */
  async markDisconnected(tx: Tx, id: string): Promise<Channel> {
    const [channel] = await tx.query(
      `UPDATE channels c SET status = 'DISCONNECTED', credentials_sealed = '', disconnected_at = now(), updated_at = now(),
              refreshable = false, access_expires_at = NULL, refresh_expires_at = NULL, refresh_lease = NULL, refresh_lease_until = NULL
        WHERE c.id = $1 RETURNING ${CHANNEL_FIELDS.sql('c')}`,
      [id],
    );
    return CHANNEL_FIELDS.read(channel!);
  }

  /** The network refused the credentials: the member must reconnect. */
  async markNeedsReauth(tx: Tx, id: string, reason: string): Promise<void> {
    // Its owner is told by the database (the channels_needs_reauth trigger), whoever marks a channel so.
    await tx.manager.update(
      ChannelEntity,
      { id, status: 'ACTIVE' },
      { status: 'NEEDS_REAUTH', statusReason: reason.slice(0, 500), updatedAt: () => 'now()' },
    );
  }

  /**
   * Takes the channel's slot for a post now: its minimum interval counts from
   * here until the post is recorded (inside the claim's transaction, with the
   * channel locked).
   */
  async takeSlot(tx: Tx, id: string): Promise<void> {
    await tx.manager.update(ChannelEntity, { id }, { lastPostedAt: () => 'now()' });
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
