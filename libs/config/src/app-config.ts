import type { TrustRules } from './trust-rules.js';

/** One key of the credential encryption keyring; the first key encrypts, all decrypt. */
export interface EncryptionKey {
  readonly version: number;
  readonly key: Buffer;
}

/** An app registered with a network for OAuth. */
export interface OAuthClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
}

/**
 * The validated configuration of one Sharepool process. Also the Nest injection
 * token: inject `AppConfig` to read it.
 */
export abstract class AppConfig {
  abstract readonly env: 'development' | 'production' | 'test';
  abstract readonly isProduction: boolean;
  abstract readonly port: number;
  abstract readonly host: string;
  /**
   * Where people reach this Sharepool (no trailing slash): short links are `<publicUrl>/s/<code>`,
   * and the networks send members back to `<publicUrl>/oauth/callback`, which then opens the web app here.
   */
  abstract readonly publicUrl: string;
  abstract readonly logLevel: string;
  abstract readonly dataDir: string;
  /** Set when DATABASE_URL is given; otherwise the embedded database's URL once it runs. */
  abstract readonly databaseUrl: string | undefined;
  abstract readonly redisUrl: string | undefined;
  abstract readonly queuePrefix: string;
  abstract readonly jwtSecret: string;
  abstract readonly encryptionKeys: readonly EncryptionKey[];
  abstract readonly apiKeyPepper: string;
  abstract readonly adminEmail: string | undefined;
  abstract readonly adminPassword: string | undefined;
  abstract readonly signupGrant: number;
  /** Trust levels: each one's requirements and privileges (shares and posts a day, credits per share, review). */
  abstract readonly trustRules: TrustRules;
  /** How often workers promote the members whose history changed (a promotion follows its event within this). */
  abstract readonly trustReviewSeconds: number;
  abstract readonly channelMinIntervalSeconds: number;
  abstract readonly workerConcurrency: number;
  /** How long a worker may hold a share it is posting before the sweeper takes it back. */
  abstract readonly shareLeaseSeconds: number;
  abstract readonly sweepIntervalSeconds: number;
  /**
   * How long a share feed answer may be served again from memory (0: never).
   * Changes that remove a post from a feed (the viewer's own shares and niches,
   * moderation, pauses, suspensions) end it at once; budgets, counts and the
   * reciprocity order may lag by this much.
   */
  abstract readonly feedCacheSeconds: number;
  /** Overrides of the networks' API addresses (local fakes in tests); unset = the real APIs. */
  abstract readonly xApiBaseUrl: string | undefined;
  abstract readonly linkedInApiBaseUrl: string | undefined;
  /** Overrides of where the networks' consent pages and token endpoints live; unset = the real ones. */
  abstract readonly xAuthBaseUrl: string | undefined;
  abstract readonly linkedInAuthBaseUrl: string | undefined;
  /** Sharepool's app at X (OAuth 2.0): unset, members cannot connect X through its consent page. The secret is unset for a public client. */
  abstract readonly xClient: OAuthClientCredentials | undefined;
  /** Sharepool's app at LinkedIn: unset, members cannot connect LinkedIn through its consent page. */
  abstract readonly linkedInClient: OAuthClientCredentials | undefined;
  abstract readonly outboundAllowPrivate: boolean;
  abstract readonly graphiql: boolean;
  /** Whether GraphQL answers introspection queries (on by default: the partner contract is public). */
  abstract readonly graphqlIntrospection: boolean;
  /** Whether validation errors suggest names ("Did you mean …?"); off by default in production. */
  abstract readonly graphqlSuggestions: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For/-Proto are believed (default loopback). */
  abstract readonly trustProxy: boolean | number | readonly string[];
  /** In production, /metrics is served only on this port (0: not on its own port). */
  abstract readonly metricsPort: number;
  /** In production, /metrics on the main port needs `Authorization: Bearer <this>`. */
  abstract readonly metricsToken: string | undefined;
  /** Accounts one client address may register per hour. */
  abstract readonly registrationsPerAddressPerHour: number;
  /** Where mail goes; unset: written as .eml files under DATA_DIR/mail. */
  abstract readonly smtpUrl: string | undefined;
  /** The From of every email. */
  abstract readonly mailFrom: string;
  /** Whether a new member proves their address before the signup grant (and a taken email answers like a new one). */
  abstract readonly emailVerificationRequired: boolean;
  /** WebSocket connections (live subscriptions) one API process accepts. */
  abstract readonly liveMaxConnections: number;
  /** Calls in flight per network across every worker, where NETWORK_CONCURRENCY overrides the defaults. */
  abstract readonly networkConcurrency: Readonly<Record<string, number>>;
  /** Where each generated secret lives (outside production), for the start-up notice. */
  abstract readonly generatedSecrets: readonly string[];
}
