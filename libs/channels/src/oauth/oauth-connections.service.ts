import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { entityFields, type FieldsOf, TransactionRunner } from '@sharepool/database';
import { type Actor, DomainError, InvalidInputError, RateLimitedError, requireSession } from '@sharepool/kernel';
import { NETWORK_NAMES } from '../channel-input.rules.js';
import { ChannelRegistry, type TokenLifetimes } from '../channel-registry.service.js';
import { CredentialCipher } from '../credential-cipher.js';
import { instanceOrigin } from '../networks/instance-url.js';
import { type ChannelCredentials, type Network, PublishError, type VerifiedAccount } from '../networks/network-adapter.js';
import { NetworkAdapters } from '../networks/network-adapters.js';
import { ChannelConnectionAttemptEntity } from './channel-connection-attempt.entity.js';
import { MastodonApps } from './mastodon-apps.service.js';
import { clip, type GrantedTokens, isOAuthNetwork, type OAuthApp, OAuthError, type OAuthNetwork } from './oauth-provider.js';
import { OAuthProviders } from './oauth-providers.js';
import { DEFAULT_RETURN_PATH, webAppPath } from './return-path.js';

/** How long a started connection may take to come back. */
export const CONNECTION_MINUTES = 10;
/** Started connections a member may have open at once. */
const MAX_OPEN_ATTEMPTS = 20;

export interface StartConnectionInput {
  readonly network: Network;
  readonly instanceUrl?: string | null;
  readonly returnTo?: string | null;
}

export interface ConnectionStart {
  readonly authorizeUrl: string;
  readonly expiresAt: Date;
}

/** What the network sent back to the callback (its query string). */
export interface CallbackParams {
  readonly state?: string;
  readonly code?: string;
  readonly error?: string;
  readonly errorDescription?: string;
}

/** How the callback ended: the channel connected, or words for the member; and the web app's path to show it on. */
export type CallbackOutcome =
  | { readonly returnTo: string; readonly channelId: string; readonly error: null }
  | { readonly returnTo: string; readonly channelId: null; readonly error: string };

const ATTEMPT_FIELDS = entityFields(ChannelConnectionAttemptEntity, [
  'id',
  'memberId',
  'network',
  'mastodonAppId',
  'browserHash',
  'verifierSealed',
  'returnTo',
]);
const RETURN_TO = entityFields(ChannelConnectionAttemptEntity, ['returnTo']);
const EXPIRES_AT = entityFields(ChannelConnectionAttemptEntity, ['expiresAt']);
type Attempt = FieldsOf<typeof ATTEMPT_FIELDS> & { readonly expired: boolean };

/** A failure of the callback, in words a member understands, and where to show it. */
class CallbackFailure extends Error {
  constructor(
    readonly returnTo: string,
    readonly words: string,
  ) {
    super(words);
  }
}

const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

/**
 * Connecting a channel through the network's consent page (OAuth 2.0 authorization
 * code): `start` keeps a single-use state bound to the member and their browser
 * for 10 minutes and answers the consent page's address; `complete` (the callback)
 * exchanges the code for tokens, reads the account and keeps it as a channel,
 * repairing the account's own channel when it has one (same id).
 */
@Injectable()
export class OAuthConnectionsService {
  private readonly logger = new Logger('OAuthConnections');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly cipher: CredentialCipher,
    private readonly providers: OAuthProviders,
    private readonly mastodonApps: MastodonApps,
    private readonly adapters: NetworkAdapters,
    private readonly registry: ChannelRegistry,
  ) {}

  /** The networks whose consent page this server can send members to. */
  availableNetworks(): OAuthNetwork[] {
    return this.providers.available();
  }

  /**
   * Starts connecting: `browserKey` is a secret the caller keeps in the member's
   * browser (a cookie) and hands to `complete`, so a consent given in another
   * browser (a link someone sent) cannot attach an account to this member.
   */
  async start(actor: Actor, input: StartConnectionInput, browserKey: string): Promise<ConnectionStart> {
    const me = requireSession(actor);
    const network = input.network;
    if (!isOAuthNetwork(network)) {
      throw new InvalidInputError(
        'network',
        network === 'BLUESKY'
          ? 'Bluesky connects with an app password: use connectChannel'
          : 'A webhook is connected with its address: use connectChannel',
      );
    }
    const returnTo = webAppPath(input.returnTo);
    const open = await this.transactions.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM channel_connection_attempts WHERE member_id = $1 AND used_at IS NULL AND expires_at > now()`,
      [me.memberId],
    );
    if (open[0]!.n >= MAX_OPEN_ATTEMPTS) {
      throw new RateLimitedError(
        `You started ${MAX_OPEN_ATTEMPTS} connections in the last ${CONNECTION_MINUTES} minutes; finish one or wait`,
        60 * CONNECTION_MINUTES,
      );
    }
    const { app, mastodonAppId } = await this.appFor(network, input.instanceUrl);
    const id = randomUUID();
    const state = randomBytes(32).toString('base64url');
    const link = this.providers.get(network).authorizeLink(app, { redirectUri: this.providers.redirectUri, state });
    const [row] = await this.transactions.run(async (tx) => {
      await tx.query(`DELETE FROM channel_connection_attempts WHERE expires_at < now() - interval '1 day'`);
      return tx.query(
        `INSERT INTO channel_connection_attempts (id, state_hash, member_id, network, mastodon_app_id, browser_hash, verifier_sealed, return_to, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + interval '${CONNECTION_MINUTES} minutes') RETURNING ${EXPIRES_AT.sql('channel_connection_attempts')}`,
        [
          id,
          hash(state),
          me.memberId,
          network,
          mastodonAppId,
          hash(browserKey),
          link.codeVerifier ? this.cipher.sealSecret('pkce-verifier', id, link.codeVerifier) : null,
          returnTo,
        ],
      );
    });
    return { authorizeUrl: link.url, expiresAt: EXPIRES_AT.read(row!).expiresAt };
  }

  /** The callback: never throws; every failure becomes words for the member on the page they return to. */
  async complete(params: CallbackParams, browserKey: string | null): Promise<CallbackOutcome> {
    try {
      const connected = await this.connect(params, browserKey);
      return { returnTo: connected.returnTo, channelId: connected.channelId, error: null };
    } catch (error) {
      const failure =
        error instanceof CallbackFailure
          ? error
          : new CallbackFailure(DEFAULT_RETURN_PATH, 'Something went wrong while connecting the channel; please try again.');
      if (!(error instanceof CallbackFailure))
        this.logger.error(`OAuth callback failed: ${(error as Error)?.message ?? String(error)}`, (error as Error)?.stack);
      return { returnTo: failure.returnTo, channelId: null, error: failure.words };
    }
  }

  private async connect(params: CallbackParams, browserKey: string | null): Promise<{ channelId: string; returnTo: string }> {
    if (!params.state) {
      throw new CallbackFailure(
        DEFAULT_RETURN_PATH,
        'The network sent you back without saying which connection it was; please start again.',
      );
    }
    const attempt = await this.claim(params.state);
    const name = NETWORK_NAMES[attempt.network];
    const fail = (words: string) => new CallbackFailure(attempt.returnTo, words);
    if (!browserKey || hash(browserKey) !== attempt.browserHash) {
      throw fail('Please finish connecting in the browser where you started it; nothing was connected.');
    }
    if (attempt.expired) throw fail(`Connecting to ${name} took more than ${CONNECTION_MINUTES} minutes and expired; please start again.`);
    if (params.error) throw fail(refusalWords(name, params.error, params.errorDescription));
    if (!params.code) throw fail(`${name} sent you back without an authorization; please start again.`);

    const app = await this.appOf(attempt);
    if (!app) throw fail(`${name} is not set up on this server any more; nothing was connected.`);
    const verifier = attempt.verifierSealed ? this.cipher.openSecret('pkce-verifier', attempt.id, attempt.verifierSealed) : null;
    const provider = this.providers.get(attempt.network);
    let tokens: GrantedTokens;
    try {
      tokens = await provider.exchangeCode(app, { code: params.code, redirectUri: this.providers.redirectUri, codeVerifier: verifier });
    } catch (error) {
      throw fail(this.oauthFailureWords(name, error));
    }
    const credentials: ChannelCredentials = {
      ...(app.instanceUrl ? { instanceUrl: app.instanceUrl } : {}),
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    };
    try {
      const account = await this.readAccount(attempt.network, credentials, fail);
      const channel = await this.registry.register({
        memberId: attempt.memberId,
        network: attempt.network,
        handle: account.handle!,
        accountId: account.accountId,
        credentials,
        networkAudience: account.audienceSize,
        statedAudience: null,
        tokens: lifetimes(tokens),
        repairs: 'any',
      });
      return { channelId: channel.id, returnTo: attempt.returnTo };
    } catch (error) {
      // The grant is of no use now: give it back rather than leave it live at the network.
      void provider.revoke(app, tokens.refreshToken ?? tokens.accessToken).catch(() => undefined);
      if (error instanceof DomainError) throw fail(`${error.message}; nothing was connected.`);
      throw error;
    }
  }

  /** Uses up the attempt of `state`: unknown, already used and expired attempts are refused. */
  private async claim(state: string): Promise<Attempt> {
    const stateHash = hash(state);
    const [attempt] = await this.transactions.query<{ expired: boolean }>(
      `UPDATE channel_connection_attempts a SET used_at = now() WHERE a.state_hash = $1 AND a.used_at IS NULL
       RETURNING ${ATTEMPT_FIELDS.sql('a')}, a.expires_at <= now() AS expired`,
      [stateHash],
    );
    if (attempt) return { ...ATTEMPT_FIELDS.read(attempt), expired: attempt.expired };
    const [used] = await this.transactions.query(
      `SELECT ${RETURN_TO.sql('a')} FROM channel_connection_attempts a WHERE a.state_hash = $1`,
      [stateHash],
    );
    if (used)
      throw new CallbackFailure(
        RETURN_TO.read(used).returnTo,
        'This connection was already finished; start again if the channel is not on your list.',
      );
    throw new CallbackFailure(DEFAULT_RETURN_PATH, 'Sharepool does not know this connection (it may be too old); please start again.');
  }

  private async appFor(
    network: OAuthNetwork,
    instanceUrl: string | null | undefined,
  ): Promise<{ app: OAuthApp; mastodonAppId: string | null }> {
    if (network !== 'MASTODON') {
      const app = this.providers.configuredApp(network);
      if (!app) throw new InvalidInputError('network', `${NETWORK_NAMES[network]} is not set up on this server`);
      return { app, mastodonAppId: null };
    }
    const origin = instanceOrigin(instanceUrl ?? undefined);
    if (!origin || (instanceUrl?.length ?? 0) > 500) {
      throw new InvalidInputError('instanceUrl', 'Enter your Mastodon instance, such as https://mastodon.social');
    }
    try {
      const { id, app } = await this.mastodonApps.forInstance(origin);
      return { app, mastodonAppId: id };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      throw new InvalidInputError(
        'instanceUrl',
        error.kind === 'UNAVAILABLE'
          ? `${new URL(origin).host} could not be reached; check the address or try again (${error.reason})`
          : `${new URL(origin).host} did not let Sharepool sign in: ${error.reason}`,
      );
    }
  }

  private async appOf(attempt: Attempt): Promise<OAuthApp | undefined> {
    if (attempt.network === 'MASTODON') return this.mastodonApps.byId(attempt.mastodonAppId!);
    return this.providers.configuredApp(attempt.network);
  }

  private async readAccount(
    network: OAuthNetwork,
    credentials: ChannelCredentials,
    fail: (words: string) => CallbackFailure,
  ): Promise<VerifiedAccount & { handle: string }> {
    const name = NETWORK_NAMES[network];
    try {
      const account = await this.adapters.get(network).verify('', credentials);
      if (!account.handle) throw new PublishError('TRANSIENT', `${name} did not say which account this is`);
      return { ...account, handle: account.handle.slice(0, 200) };
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      throw fail(`${name} let Sharepool in, but reading your account failed (${error.reason}); please try again.`);
    }
  }

  private oauthFailureWords(name: string, error: unknown): string {
    if (!(error instanceof OAuthError)) throw error;
    if (error.kind === 'INVALID_GRANT') return `${name} did not accept the sign-in (it may have taken too long); please start again.`;
    if (error.kind === 'CLIENT_REJECTED') {
      this.logger.error(`${name} refused Sharepool's app: ${error.reason}`);
      return `${name} refused Sharepool's app, so this server cannot connect ${name} accounts right now; please tell the administrator.`;
    }
    return `${name} could not be reached to finish connecting; please try again in a moment.`;
  }
}

/** When each granted token ends. */
function lifetimes(tokens: { refreshToken: string | null; expiresIn: number | null; refreshExpiresIn: number | null }): TokenLifetimes {
  const after = (seconds: number | null) => (seconds && seconds > 0 ? new Date(Date.now() + seconds * 1000) : null);
  return {
    accessExpiresAt: after(tokens.expiresIn),
    refreshExpiresAt: after(tokens.refreshExpiresIn),
    refreshable: tokens.refreshToken !== null,
  };
}

/** The network's `error` on the way back: the member said no, or the network explains (in its own words, clipped). */
function refusalWords(name: string, error: string, description: string | undefined): string {
  if (/^(access_denied|user_cancelled_authorize|user_cancelled_login)$/.test(error)) {
    return `You did not allow Sharepool to use your ${name} account, so nothing was connected.`;
  }
  const said = clip((description ?? error).replace(/[^\p{L}\p{N}\p{P}\p{Zs}]/gu, ''), 200);
  return `${name} did not connect the account: ${said}`;
}
