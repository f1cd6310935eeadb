import type { OutboundResponse } from '@sharepool/outbound';
import { DEFAULT_TIMEOUTS, type GuardedHttp } from '../networks/network-adapter.js';
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

/** Sign in with LinkedIn (the member's id and name) and posting as the member. */
export const LINKEDIN_SCOPES = 'openid profile w_member_social';

export interface LinkedInOAuthOptions {
  readonly http: GuardedHttp;
  /** Where the consent page and token endpoints live; default https://www.linkedin.com. */
  readonly authBaseUrl?: string;
  readonly timeoutMs?: number;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  refresh_token_expires_in?: unknown;
}

/**
 * LinkedIn's 3-legged OAuth 2.0 (no maintained client; fetch): the consent page
 * at /oauth/v2/authorization, tokens from /oauth/v2/accessToken with the client
 * secret in the form (LinkedIn has no PKCE for web apps). Access tokens live 60
 * days; LinkedIn grants refresh tokens (a year, not rotated) to some apps only.
 */
export class LinkedInOAuthProvider implements OAuthProvider {
  readonly network = 'LINKEDIN' as const;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: LinkedInOAuthOptions) {
    this.base = new URL(options.authBaseUrl ?? 'https://www.linkedin.com').origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.readMs;
  }

  authorizeLink(app: OAuthApp, request: AuthorizeRequest): AuthorizeLink {
    const url = new URL('/oauth/v2/authorization', this.base);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: request.redirectUri,
      state: request.state,
      scope: LINKEDIN_SCOPES,
    }).toString();
    return { url: url.toString(), codeVerifier: null };
  }

  async exchangeCode(app: OAuthApp, exchange: CodeExchange): Promise<GrantedTokens> {
    const answer = await this.post('/oauth/v2/accessToken', {
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      ...this.clientFields(app),
    });
    return granted(answer);
  }

  async refresh(app: OAuthApp, refreshToken: string): Promise<GrantedTokens> {
    const answer = await this.post('/oauth/v2/accessToken', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...this.clientFields(app),
    });
    // LinkedIn keeps the refresh token (and its end) when it answers without one.
    const tokens = granted(answer);
    return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
  }

  async revoke(app: OAuthApp, token: string): Promise<void> {
    await this.post('/oauth/v2/revoke', { token, ...this.clientFields(app) });
  }

  private clientFields(app: OAuthApp): Record<string, string> {
    return { client_id: app.clientId, client_secret: app.clientSecret ?? '' };
  }

  private async post(path: string, form: Record<string, string>): Promise<OutboundResponse> {
    let response: OutboundResponse;
    try {
      response = await this.options.http.fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        timeoutMs: this.timeoutMs,
        maxRedirects: 0,
      });
    } catch (error) {
      throw new OAuthError('UNAVAILABLE', transportFailure('LinkedIn', error, false)?.reason ?? 'LinkedIn failed in an unexpected way');
    }
    if (response.status < 200 || response.status >= 300) throw tokenEndpointFailure('LinkedIn', response.status, response.json());
    return response;
  }
}

function granted(response: OutboundResponse): GrantedTokens {
  const answer = (response.json() ?? {}) as TokenAnswer;
  if (typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new OAuthError('UNAVAILABLE', 'LinkedIn answered without an access token');
  }
  return {
    accessToken: answer.access_token,
    refreshToken: typeof answer.refresh_token === 'string' && answer.refresh_token ? answer.refresh_token : null,
    expiresIn: typeof answer.expires_in === 'number' ? answer.expires_in : null,
    refreshExpiresIn: typeof answer.refresh_token_expires_in === 'number' ? answer.refresh_token_expires_in : null,
  };
}
