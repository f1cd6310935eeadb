import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { assertOneOf, entityFields, TransactionRunner } from '@sharepool/database';
import { NETWORK_NAMES } from '../channel-input.rules.js';
import { ChannelEntity } from '../channel.entity.js';
import { CredentialCipher, CredentialDecryptionError } from '../credential-cipher.js';
import type { ChannelCredentials } from '../networks/network-adapter.js';
import { OAUTH_NETWORKS, OAuthError, type GrantedTokens, type OAuthNetwork } from './oauth-provider.js';
import { OAuthProviders } from './oauth-providers.js';

/** Tokens ending within this are refreshed now. */
export const REFRESH_AHEAD = '10 minutes';
/** Access that ends within this, with no way to renew it, needs the member now. */
export const REAUTH_AHEAD = '7 days';
/**
 * How long one worker holds a channel it refreshes: far longer than a token call may take (its
 * deadline is 10 s, and a batch's calls run side by side), since a refresh that outlived its
 * lease could meet another worker's refresh of the same single-use token.
 */
const LEASE = '5 minutes';
/** How long a refresh that failed for another reason than the grant waits before the next try. */
const BACKOFF = '1 minute';
/** Channels refreshed per run. */
const BATCH = 20;

export interface RefreshRun {
  readonly refreshed: number;
  readonly needsReauth: number;
  readonly retryLater: number;
}

/** The networks whose tokens are refreshed (Mastodon's do not end). */
const REFRESHED_NETWORKS = ['X', 'LINKEDIN'] as const;

const DUE = entityFields(ChannelEntity, ['id', 'network', 'credentialsSealed']);
const ENDING = entityFields(ChannelEntity, ['id', 'network']);

/** A channel whose tokens are refreshed now; only X and LinkedIn channels hold refresh tokens. */
type Due = { readonly id: string; readonly network: (typeof REFRESHED_NETWORKS)[number]; readonly credentialsSealed: string };

/** A channel whose access ends soon with nothing to renew it. */
type Expiring = { readonly id: string; readonly network: OAuthNetwork; readonly endsAt: Date };

/**
 * Keeps OAuth tokens alive. Each run refreshes the tokens that end within 10
 * minutes and, where nothing can renew the access (LinkedIn without a refresh
 * token), asks the member to reconnect a week before it ends. X's refresh tokens
 * work once: a channel is refreshed only by the worker holding its lease, taken
 * with one conditional UPDATE, so two workers (or processes) never refresh one
 * channel at once; the new pair replaces the old in one statement, and only
 * while that lease still holds.
 */
@Injectable()
export class TokenRefresher {
  private readonly logger = new Logger('TokenRefresher');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly providers: OAuthProviders,
  ) {}

  async refreshDue(): Promise<RefreshRun> {
    const ending = await this.askForReauthBeforeAccessEnds();
    const lease = randomUUID();
    const due = (
      await this.transactions.query(
        `UPDATE channels c SET refresh_lease = $1, refresh_lease_until = now() + interval '${LEASE}'
        WHERE c.id IN (SELECT id FROM channels
                        WHERE status = 'ACTIVE' AND refreshable AND access_expires_at < now() + interval '${REFRESH_AHEAD}'
                          AND (refresh_lease_until IS NULL OR refresh_lease_until < now())
                        ORDER BY access_expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
          AND c.status = 'ACTIVE' AND (c.refresh_lease_until IS NULL OR c.refresh_lease_until < now())
        RETURNING ${DUE.sql('c')}`,
        [lease],
      )
    ).map((row): Due => {
      const channel = DUE.read(row);
      return { ...channel, network: assertOneOf(REFRESHED_NETWORKS, channel.network, 'channels.network (refreshable)') };
    });
    // Side by side: the whole batch ends within one call's deadline, well inside the lease.
    const outcomes = await Promise.all(due.map((channel) => this.refreshOne(channel, lease)));
    const count = (outcome: (typeof outcomes)[number]) => outcomes.filter((o) => o === outcome).length;
    return { refreshed: count('refreshed'), needsReauth: ending + count('needs-reauth'), retryLater: count('retry-later') };
  }

  private async refreshOne(channel: Due, lease: string): Promise<'refreshed' | 'needs-reauth' | 'retry-later'> {
    const name = NETWORK_NAMES[channel.network];
    let credentials: ChannelCredentials;
    try {
      credentials = this.cipher.decrypt(channel.id, channel.credentialsSealed);
    } catch (error) {
      if (!(error instanceof CredentialDecryptionError)) throw error;
      await this.needsReauth(channel.id, lease, 'Its stored credentials could not be read; reconnect it');
      return 'needs-reauth';
    }
    const app = this.providers.configuredApp(channel.network);
    if (!app || !credentials.refreshToken) {
      await this.needsReauth(
        channel.id,
        lease,
        `${name} is no longer set up on this server, so its access cannot be renewed; reconnect it`,
      );
      return 'needs-reauth';
    }
    let tokens: GrantedTokens;
    try {
      tokens = await this.providers.get(channel.network).refresh(app, credentials.refreshToken);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.kind === 'INVALID_GRANT') {
        await this.needsReauth(
          channel.id,
          lease,
          `${name} no longer lets Sharepool post for this account (the permission was withdrawn or has ended); reconnect it`,
        );
        return 'needs-reauth';
      }
      if (error.kind === 'CLIENT_REJECTED')
        this.logger.error(`${name} refused Sharepool's app while refreshing channel ${channel.id}: ${error.reason}`);
      else this.logger.warn(`refreshing channel ${channel.id} failed, retrying later: ${error.reason}`);
      await this.transactions.query(
        `UPDATE channels SET refresh_lease = NULL, refresh_lease_until = now() + interval '${BACKOFF}' WHERE id = $1 AND refresh_lease = $2`,
        [channel.id, lease],
      );
      return 'retry-later';
    }
    const renewed: ChannelCredentials = { ...credentials, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? undefined };
    const [kept] = await this.transactions.query(
      `UPDATE channels SET credentials_sealed = $3,
              access_expires_at = CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(secs => $4::int) END,
              refresh_expires_at = CASE WHEN $5::int IS NULL THEN refresh_expires_at ELSE now() + make_interval(secs => $5::int) END,
              refreshable = $6, refresh_lease = NULL, refresh_lease_until = NULL, updated_at = now()
        WHERE id = $1 AND refresh_lease = $2 AND status = 'ACTIVE' RETURNING id`,
      [
        channel.id,
        lease,
        this.cipher.encrypt(channel.id, renewed),
        tokens.expiresIn,
        tokens.refreshExpiresIn,
        tokens.refreshToken !== null,
      ],
    );
    if (!kept) {
      // Disconnected or connected again while the refresh ran: those credentials stand, these are given back.
      void this.providers
        .get(channel.network)
        .revoke(app, tokens.refreshToken ?? tokens.accessToken)
        .catch(() => undefined);
      return 'retry-later';
    }
    return 'refreshed';
  }

  /** The refresh failed for good: the member must reconnect (only while this worker holds the channel). */
  private async needsReauth(id: string, lease: string, reason: string): Promise<void> {
    await this.transactions.query(
      `UPDATE channels SET status = 'NEEDS_REAUTH', status_reason = $3, refresh_lease = NULL, refresh_lease_until = NULL, updated_at = now()
        WHERE id = $1 AND refresh_lease = $2 AND status = 'ACTIVE'`,
      [id, lease, reason],
    );
  }

  /**
   * Channels whose access ends within a week with nothing to renew it (no refresh
   * token, or a refresh token that ends too) need the member before it ends.
   */
  private async askForReauthBeforeAccessEnds(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const ending = (
        await tx.query<{ endsAt: Date }>(
          `SELECT ${ENDING.sql('c')}, CASE WHEN c.refreshable THEN c.refresh_expires_at ELSE c.access_expires_at END AS "endsAt"
             FROM channels c
            WHERE c.status = 'ACTIVE' AND c.access_expires_at IS NOT NULL
              AND CASE WHEN c.refreshable THEN c.refresh_expires_at ELSE c.access_expires_at END < now() + interval '${REAUTH_AHEAD}'
            ORDER BY c.id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )
      ).map((row): Expiring => {
        const channel = ENDING.read(row);
        return { ...channel, network: assertOneOf(OAUTH_NETWORKS, channel.network, 'channels.network (with tokens)'), endsAt: row.endsAt };
      });
      for (const channel of ending) {
        const name = NETWORK_NAMES[channel.network];
        await tx.query(
          `UPDATE channels SET status = 'NEEDS_REAUTH', status_reason = $2, refresh_lease = NULL, refresh_lease_until = NULL, updated_at = now()
            WHERE id = $1`,
          [channel.id, `${name} lets Sharepool post for this account only until ${dayOf(channel.endsAt)}; reconnect it to keep sharing`],
        );
      }
      return ending.length;
    });
  }
}

function dayOf(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
