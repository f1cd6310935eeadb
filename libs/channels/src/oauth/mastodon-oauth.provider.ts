import { MastoDeserializeError, MastoHttpError, MastoUnexpectedError } from 'masto';
import { createMastodonClient, createMastodonOAuthClient } from '../networks/mastodon-client.js';
import { DEFAULT_TIMEOUTS, type GuardedHttp } from '../networks/network-adapter.js';
import { transportFailure } from '../networks/publish-failures.js';
import {
  type AuthorizeLink,
  type AuthorizeRequest,
  clip,
  type CodeExchange,
  type GrantedTokens,
  type OAuthApp,
  OAuthError,
  type OAuthProvider,
  tokenEndpointFailure,
} from './oauth-provider.js';
import { codeChallengeOf, newCodeVerifier } from './pkce.js';

/** What Sharepool asks a Mastodon account for: its profile (handle, followers) and posting. */
export const MASTODON_SCOPES = 'read:accounts write:statuses';

export interface RegisteredApp {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Mastodon's OAuth (Doorkeeper) on any instance, through masto on the
 * SSRF-guarded fetch (the instance is the member's): the app is registered per
 * instance with POST /api/v1/apps; authorize at /oauth/authorize with PKCE
 * (S256, which instances before 4.3 ignore), tokens from /oauth/token that do
 * not expire, revoked at /oauth/revoke.
 */
export class MastodonOAuthProvider implements OAuthProvider {
  readonly network = 'MASTODON' as const;
  private readonly fetchFn: typeof fetch;

  constructor(
    http: GuardedHttp,
    private readonly timeoutMs = DEFAULT_TIMEOUTS.readMs,
  ) {
    this.fetchFn = http.fetchFunction();
  }

  async registerApp(instanceUrl: string, redirectUri: string, website: string): Promise<RegisteredApp> {
    const client = createMastodonClient({ url: instanceUrl, timeoutMs: this.timeoutMs, fetch: this.fetchFn });
    try {
      const app = await client.v1.apps.create({ clientName: 'Sharepool', redirectUris: redirectUri, scopes: MASTODON_SCOPES, website });
      if (!app.clientId || !app.clientSecret)
        throw new OAuthError('UNAVAILABLE', 'The Mastodon instance registered the app without its credentials');
      return { clientId: app.clientId, clientSecret: app.clientSecret };
    } catch (error) {
      const notMastodon =
        (error instanceof MastoHttpError && (error.statusCode === 404 || error.statusCode === 405)) ||
        error instanceof MastoUnexpectedError ||
        error instanceof MastoDeserializeError;
      if (notMastodon) {
        throw new OAuthError('CLIENT_REJECTED', 'That address does not answer like a Mastodon instance');
      }
      throw toOAuthError(error, 'registering Sharepool');
    }
  }

  authorizeLink(app: OAuthApp, request: AuthorizeRequest): AuthorizeLink {
    const codeVerifier = newCodeVerifier();
    const url = new URL('/oauth/authorize', instance(app));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: request.redirectUri,
      scope: MASTODON_SCOPES,
      state: request.state,
      code_challenge: codeChallengeOf(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), codeVerifier };
  }

  async exchangeCode(app: OAuthApp, exchange: CodeExchange): Promise<GrantedTokens> {
    const client = this.oauthClient(app);
    try {
      const token = await client.token.create({
        grantType: 'authorization_code',
        clientId: app.clientId,
        clientSecret: app.clientSecret ?? '',
        redirectUri: exchange.redirectUri,
        code: exchange.code,
        scope: MASTODON_SCOPES,
        // masto's parameters do not list PKCE; its serializer sends it as code_verifier.
        ...(exchange.codeVerifier ? { codeVerifier: exchange.codeVerifier } : {}),
      } as Parameters<typeof client.token.create>[0]);
      return { accessToken: token.accessToken, refreshToken: null, expiresIn: null, refreshExpiresIn: null };
    } catch (error) {
      throw toOAuthError(error, 'the sign-in');
    }
  }

  /** Mastodon's tokens do not expire and come without a refresh token. */
  async refresh(): Promise<GrantedTokens> {
    throw new OAuthError('INVALID_GRANT', 'Mastodon tokens cannot be refreshed; connect the account again');
  }

  async revoke(app: OAuthApp, token: string): Promise<void> {
    try {
      await this.oauthClient(app).revoke({ clientId: app.clientId, clientSecret: app.clientSecret ?? '', token });
    } catch (error) {
      throw toOAuthError(error, 'the revocation');
    }
  }

  private oauthClient(app: OAuthApp) {
    return createMastodonOAuthClient({ url: instance(app), timeoutMs: this.timeoutMs, fetch: this.fetchFn });
  }
}

function instance(app: OAuthApp): string {
  if (!app.instanceUrl) throw new OAuthError('CLIENT_REJECTED', 'A Mastodon app needs its instance');
  return app.instanceUrl;
}

function toOAuthError(error: unknown, what: string): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof MastoHttpError) {
    const body = { error: error.message, error_description: error.description };
    if (error.statusCode === 422) return new OAuthError('CLIENT_REJECTED', clip(`Mastodon refused ${what}: ${error.message}`));
    return tokenEndpointFailure('Mastodon', error.statusCode, body);
  }
  const transport = transportFailure('Mastodon', error, false);
  if (transport?.kind === 'PERMANENT') return new OAuthError('CLIENT_REJECTED', transport.reason);
  if (transport) return new OAuthError('UNAVAILABLE', transport.reason);
  return new OAuthError('UNAVAILABLE', 'Mastodon failed in an unexpected way');
}
