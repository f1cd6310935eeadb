import type { Network } from '../networks/network-adapter.js';

/** The networks a member connects through the network's own consent page. */
export type OAuthNetwork = Extract<Network, 'MASTODON' | 'X' | 'LINKEDIN'>;

export const OAUTH_NETWORKS: readonly OAuthNetwork[] = ['MASTODON', 'X', 'LINKEDIN'];

export function isOAuthNetwork(network: Network): network is OAuthNetwork {
  return (OAUTH_NETWORKS as readonly Network[]).includes(network);
}

/** Sharepool's app at a network: from the configuration (X, LinkedIn) or registered per instance (Mastodon). */
export interface OAuthApp {
  readonly clientId: string;
  /** Unset for a public client (PKCE alone). */
  readonly clientSecret: string | undefined;
  /** Mastodon: the instance's origin. */
  readonly instanceUrl?: string;
}

export interface AuthorizeRequest {
  /** PUBLIC_URL/oauth/callback. */
  readonly redirectUri: string;
  readonly state: string;
}

export interface AuthorizeLink {
  readonly url: string;
  /** The PKCE code verifier to keep for the code exchange; null where the network has no PKCE. */
  readonly codeVerifier: string | null;
}

export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier: string | null;
}

/** What a token endpoint granted. */
export interface GrantedTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** Seconds the access token lives; null when it does not expire (Mastodon). */
  readonly expiresIn: number | null;
  /** Seconds the refresh token lives; null when the network does not say. */
  readonly refreshExpiresIn: number | null;
}

/**
 * One network's OAuth 2.0 authorization-code flow: the consent page's address,
 * the code exchange, the refresh and the revocation. Every method fails only
 * with an OAuthError.
 */
export interface OAuthProvider {
  readonly network: OAuthNetwork;
  authorizeLink(app: OAuthApp, request: AuthorizeRequest): AuthorizeLink;
  exchangeCode(app: OAuthApp, exchange: CodeExchange): Promise<GrantedTokens>;
  refresh(app: OAuthApp, refreshToken: string): Promise<GrantedTokens>;
  revoke(app: OAuthApp, token: string): Promise<void>;
}

/**
 * - INVALID_GRANT: the code or refresh token is unknown, used, expired or revoked: the member must connect again.
 * - CLIENT_REJECTED: the network refuses Sharepool's app itself (wrong client id or secret, redirect URI): the server's setup is wrong.
 * - UNAVAILABLE: the network could not be reached or asked to come back later: try again.
 */
export type OAuthFailureKind = 'INVALID_GRANT' | 'CLIENT_REJECTED' | 'UNAVAILABLE';

/** How an OAuth call failed; `reason` names no token, code or secret. */
export class OAuthError extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'OAuthError';
  }
}

/** Client errors that are Sharepool's app's fault rather than the grant's (RFC 6749 §5.2). */
const CLIENT_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unauthorized_scope_error',
]);

/**
 * A token endpoint's refusal as an OAuthError: 400 with the grant at fault means
 * the member must connect again; 401 or an error about the client means the setup
 * is wrong; 429 and 5xx mean later.
 */
export function tokenEndpointFailure(label: string, status: number, body: unknown): OAuthError {
  const data = (body && typeof body === 'object' ? body : {}) as { error?: unknown; error_description?: unknown };
  const code = typeof data.error === 'string' ? data.error : undefined;
  const description = typeof data.error_description === 'string' ? data.error_description : undefined;
  const said = clip([code, description].filter(Boolean).join(': ') || `HTTP ${status}`);
  if (status === 429 || status >= 500 || status === 408)
    return new OAuthError('UNAVAILABLE', `${label} is unavailable (${status}): ${said}`);
  if (status === 401 || status === 403 || (code && CLIENT_ERRORS.has(code))) {
    return new OAuthError('CLIENT_REJECTED', `${label} refused Sharepool's app: ${said}`);
  }
  return new OAuthError('INVALID_GRANT', `${label} refused the authorization: ${said}`);
}

export function clip(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
