import type { AppConfig } from '@sharepool/config';
import type { GuardedHttp } from '../networks/network-adapter.js';
import { LinkedInOAuthProvider } from './linkedin-oauth.provider.js';
import { MastodonOAuthProvider } from './mastodon-oauth.provider.js';
import type { OAuthApp, OAuthNetwork, OAuthProvider } from './oauth-provider.js';
import { XOAuthProvider } from './x-oauth.provider.js';

/** Where the networks send members back after their consent page. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

/**
 * Each network's OAuth provider and, for X and LinkedIn, Sharepool's app there
 * (from the configuration; Mastodon apps are registered per instance, see
 * MastodonApps). A network without its app is not set up on this server.
 */
export class OAuthProviders {
  readonly redirectUri: string;

  constructor(
    readonly mastodon: MastodonOAuthProvider,
    private readonly x: XOAuthProvider,
    private readonly linkedIn: LinkedInOAuthProvider,
    private readonly apps: Readonly<Partial<Record<'X' | 'LINKEDIN', OAuthApp>>>,
    readonly publicUrl: string,
  ) {
    this.redirectUri = `${publicUrl}${OAUTH_CALLBACK_PATH}`;
  }

  static fromConfig(config: AppConfig, http: GuardedHttp): OAuthProviders {
    const app = (client: AppConfig['xClient']): OAuthApp | undefined =>
      client ? { clientId: client.clientId, clientSecret: client.clientSecret } : undefined;
    return new OAuthProviders(
      new MastodonOAuthProvider(http),
      new XOAuthProvider({ apiBaseUrl: config.xApiBaseUrl, authBaseUrl: config.xAuthBaseUrl }),
      new LinkedInOAuthProvider({ http, authBaseUrl: config.linkedInAuthBaseUrl }),
      { X: app(config.xClient), LINKEDIN: app(config.linkedInClient) },
      config.publicUrl,
    );
  }

  get(network: OAuthNetwork): OAuthProvider {
    return network === 'MASTODON' ? this.mastodon : network === 'X' ? this.x : this.linkedIn;
  }

  /** Sharepool's configured app at X or LinkedIn; undefined when the server has none. */
  configuredApp(network: 'X' | 'LINKEDIN'): OAuthApp | undefined {
    return this.apps[network];
  }

  /** The networks a member can connect through their consent page on this server (Mastodon needs no setup). */
  available(): OAuthNetwork[] {
    return ['MASTODON', ...(this.apps.X ? (['X'] as const) : []), ...(this.apps.LINKEDIN ? (['LINKEDIN'] as const) : [])];
  }
}
