import { Injectable, Logger } from '@nestjs/common';
import { entityFields, type FieldsOf, TransactionRunner } from '@sharepool/database';
import { ChannelEntity } from './channel.entity.js';
import { AUDIENCE_RECHECK } from './channel-registry.service.js';
import { CredentialCipher, CredentialDecryptionError } from './credential-cipher.js';
import { PublishError } from './networks/network-adapter.js';
import { NetworkAdapters } from './networks/network-adapters.js';

/** Channels read per run. */
const BATCH = 25;
/** A read that failed for a passing reason is tried again after this. */
const RETRY = '1 hour';

const DUE = entityFields(ChannelEntity, ['id', 'network', 'handle', 'credentialsSealed']);
type Due = FieldsOf<typeof DUE>;

/**
 * Reads each active channel's followers from its network once a day (the day
 * starts at connecting). A figure the network gives replaces the one kept and is
 * marked verified; where the network gives none (webhooks, LinkedIn without the
 * permission), the member's stated figure stays, unverified. A network that no
 * longer accepts the credentials makes the channel need reconnecting.
 */
@Injectable()
export class AudienceChecker {
  private readonly logger = new Logger('AudienceChecker');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly adapters: NetworkAdapters,
  ) {}

  async checkDue(): Promise<{ read: number; unverified: number; failed: number }> {
    // Claimed by moving the next check a day on: another worker's run skips them.
    const due = (
      await this.transactions.query(
        `UPDATE channels c SET audience_check_due = now() + interval '${AUDIENCE_RECHECK}'
        WHERE c.id IN (SELECT id FROM channels
                        WHERE status = 'ACTIVE' AND network <> 'WEBHOOK' AND (audience_check_due IS NULL OR audience_check_due <= now())
                        ORDER BY audience_check_due NULLS FIRST LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING ${DUE.sql('c')}`,
      )
    ).map((row) => DUE.read(row));
    const outcomes = await Promise.all(due.map((channel) => this.checkOne(channel)));
    const count = (outcome: (typeof outcomes)[number]) => outcomes.filter((o) => o === outcome).length;
    return { read: count('read'), unverified: count('unverified'), failed: count('failed') };
  }

  private async checkOne(channel: Due): Promise<'read' | 'unverified' | 'failed'> {
    let audience: number | null;
    try {
      const credentials = this.cipher.decrypt(channel.id, channel.credentialsSealed);
      audience = await this.adapters.get(channel.network).readAudience(channel.handle, credentials);
    } catch (error) {
      if (error instanceof CredentialDecryptionError) return 'failed';
      if (!(error instanceof PublishError)) throw error;
      if (error.kind === 'AUTH_EXPIRED') {
        await this.transactions.query(
          `UPDATE channels SET status = 'NEEDS_REAUTH', status_reason = $2, updated_at = now() WHERE id = $1 AND status = 'ACTIVE'`,
          [channel.id, error.reason.slice(0, 500)],
        );
      } else {
        this.logger.warn(`reading the audience of channel ${channel.id} failed: ${error.reason}`);
        await this.transactions.query(`UPDATE channels SET audience_check_due = now() + interval '${RETRY}' WHERE id = $1`, [channel.id]);
      }
      return 'failed';
    }
    if (audience === null) return 'unverified';
    await this.transactions.query(
      `UPDATE channels SET audience_size = $2, audience_verified = true, audience_checked_at = now(), updated_at = now() WHERE id = $1`,
      [channel.id, audience],
    );
    return 'read';
  }
}
