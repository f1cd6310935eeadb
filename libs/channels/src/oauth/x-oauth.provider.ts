import { Agent as HttpAgent } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import { DEFAULT_TIMEOUTS } from '../networks/network-adapter.js';
import { transportFailure } from '../networks/publish-failures.js';
import {
  type AuthorizeLink,
  type AuthorizeRequest,
  type CodeExchange,
  type GrantedTokens,
  type OAuthApp,
  OAuthError,
  type OAuthProvider,
  tokenEndpointFailure,
} from './oauth-provider.js';

/** Reading the account (handle, followers), posting, and a refresh token (offline.access). */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];

export interface XOAuthOptions {
  /** Where the token endpoints live; default https://api.x.com. */
  readonly apiBaseUrl?: string;
  /** Where the consent page lives; default https://x.com. */
  readonly authBaseUrl?: string;
  readonly timeoutMs?: number;
}

const X_API = 'https://api.x.com/';

/**
 * X's OAuth 2.0 authorization code flow with PKCE through twitter-api-v2's
 * helpers: the consent page at x.com/i/oauth2/authorize, the code, refresh and
 * revocation at api.x.com/2/oauth2/*. Access tokens live 2 hours; each refresh
 * token works once (the refresh answers a new pair). The library's fixed
 * addresses are moved to the configured ones (local fakes in tests), and its
 * token requests are sent form-encoded as RFC 6749 says.
 */
export class XOAuthProvider implements OAuthProvider {
  readonly network = 'X' as const;
  private readonly apiBase: string;
  private readonly authBase: URL;
  private readonly timeoutMs: number;
  private readonly httpAgent: HttpAgent | undefined;

  constructor(options: XOAuthOptions = {}) {
    const api = new URL(options.apiBaseUrl ?? 'https://api.x.com');
    this.apiBase = `${api.origin}/`;
    this.authBase = new URL(options.authBaseUrl ?? 'https://x.com');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.readMs;
    this.httpAgent = api.protocol === 'http:' ? new HttpAgent() : undefined;
  }

  authorizeLink(app: OAuthApp, request: AuthorizeRequest): AuthorizeLink {
    const link = this.client(app).generateOAuth2AuthLink(request.redirectUri, { scope: X_SCOPES, state: request.state });
    const url = new URL(link.url);
    const moved = new URL(url.pathname + url.search, this.authBase.origin);
    return { url: moved.toString(), codeVerifier: link.codeVerifier };
  }

  async exchangeCode(app: OAuthApp, exchange: CodeExchange): Promise<GrantedTokens> {
    if (!exchange.codeVerifier) throw new OAuthError('INVALID_GRANT', 'X needs the PKCE verifier of the sign-in');
    return this.call(async () =>
      granted(
        await this.client(app).loginWithOAuth2({
          code: exchange.code,
          codeVerifier: exchange.codeVerifier!,
          redirectUri: exchange.redirectUri,
        }),
      ),
    );
  }

  async refresh(app: OAuthApp, refreshToken: string): Promise<GrantedTokens> {
    return this.call(async () => granted(await this.client(app).refreshOAuth2Token(refreshToken)));
  }

  async revoke(app: OAuthApp, token: string): Promise<void> {
    await this.call(() => this.client(app).revokeOAuth2Token(token, 'refresh_token'));
  }

  private client(app: OAuthApp): TwitterApi {
    const relocate: ITwitterApiClientPlugin = {
      onBeforeRequestConfig: ({ params }) => {
        if (params.url.startsWith(X_API)) params.url = this.apiBase + params.url.slice(X_API.length);
        params.forceBodyMode = 'url';
        params.timeout ??= this.timeoutMs;
      },
    };
    return new TwitterApi(
      { clientId: app.clientId, ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}) },
      { plugins: [relocate], ...(this.httpAgent ? { httpAgent: this.httpAgent } : {}) },
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toOAuthError(error);
    }
  }
}

function granted(result: { accessToken: string; refreshToken?: string; expiresIn: number }): GrantedTokens {
  return {
    accessToken: result.accessToken,
    refreshToken: result.refreshToken ?? null,
    expiresIn: result.expiresIn,
    refreshExpiresIn: null,
  };
}

function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (error instanceof ApiResponseError) return tokenEndpointFailure('X', error.code, error.data);
  if (error instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the socket error as `error` while its getter reads `requestError`.
    const cause = error.requestError ?? (error as unknown as { _options?: { error?: unknown } })._options?.error;
    return new OAuthError('UNAVAILABLE', transportFailure('X', cause, false)?.reason ?? 'X did not answer in time');
  }
  if (error instanceof ApiPartialResponseError) return new OAuthError('UNAVAILABLE', 'X broke off its answer');
  return new OAuthError('UNAVAILABLE', transportFailure('X', error, false)?.reason ?? 'X failed in an unexpected way');
}
