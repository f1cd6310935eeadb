import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { AppConfig, type EncryptionKey, type OAuthClientCredentials } from './app-config.js';
import { ConfigError } from './config-error.js';
import { envSchema } from './config.schema.js';
import { SecretStore } from './secret-store.js';
import { trustRulesFrom } from './trust-rules.js';

/**
 * Reads and validates the environment once. A missing or bad value throws a
 * ConfigError naming the variable; outside production, unset secrets are
 * generated into DATA_DIR/secrets and reused on the next start.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = raw[variable];
    const shown = got === undefined || /SECRET|KEY|PASSWORD|PEPPER|TOKEN/.test(variable) ? '' : ` (got "${got}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  if (isProduction && env.OUTBOUND_ALLOW_PRIVATE) {
    throw new ConfigError(
      'OUTBOUND_ALLOW_PRIVATE',
      'must not be true when NODE_ENV=production (it lets members make the server call private addresses)',
    );
  }
  if (env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError('METRICS_PORT', 'must differ from PORT');
  }
  const dataDir = resolve(env.DATA_DIR);
  const store = new SecretStore(dataDir);
  const generated: string[] = [];

  const secret = (name: string, value: string | undefined, generate?: () => string): string => {
    if (value !== undefined) return value;
    if (isProduction) throw new ConfigError(name, 'must be set when NODE_ENV=production');
    generated.push(store.pathOf(name));
    try {
      return store.getOrCreate(name, generate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code) throw error;
      throw new ConfigError(
        'DATA_DIR',
        `(${dataDir}) cannot be written by this user (${code}), and ${name} is kept there: choose a folder it can write, or set ${name}`,
      );
    }
  };

  const jwtSecret = secret('JWT_SECRET', env.JWT_SECRET);
  const encryptionKeys = parseEncryptionKeys(secret('ENCRYPTION_KEY', env.ENCRYPTION_KEY, () => `1:${randomBytes(32).toString('base64')}`));
  const apiKeyPepper = secret('API_KEY_PEPPER', env.API_KEY_PEPPER);
  const xClient = oauthClient('X', env.X_CLIENT_ID, env.X_CLIENT_SECRET, false);
  const linkedInClient = oauthClient('LINKEDIN', env.LINKEDIN_CLIENT_ID, env.LINKEDIN_CLIENT_SECRET, true);
  const adminEmail = env.ADMIN_EMAIL ?? (isProduction ? undefined : 'admin@sharepool.local');
  const adminPassword =
    env.ADMIN_PASSWORD ?? (isProduction ? undefined : secret('ADMIN_PASSWORD', undefined, () => randomBytes(18).toString('base64url')));

  if (isProduction && !env.PUBLIC_URL)
    throw new ConfigError('PUBLIC_URL', 'must be set when NODE_ENV=production (short links and the networks’ way back are built on it)');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');

  return Object.freeze({
    env: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    logLevel: env.LOG_LEVEL,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX ?? `sharepool:${env.NODE_ENV}`,
    jwtSecret,
    encryptionKeys,
    apiKeyPepper,
    adminEmail: adminEmail?.trim().toLowerCase(),
    adminPassword,
    signupGrant: env.SIGNUP_GRANT,
    trustRules: trustRulesFrom(env.TRUST_RULES),
    trustReviewSeconds: env.TRUST_REVIEW_SECONDS,
    channelMinIntervalSeconds: env.CHANNEL_MIN_INTERVAL_SECONDS,
    workerConcurrency: env.WORKER_CONCURRENCY,
    shareLeaseSeconds: env.SHARE_LEASE_SECONDS,
    sweepIntervalSeconds: env.SWEEP_INTERVAL_SECONDS,
    feedCacheSeconds: env.FEED_CACHE_SECONDS,
    xApiBaseUrl: env.X_API_BASE_URL,
    linkedInApiBaseUrl: env.LINKEDIN_API_BASE_URL,
    xAuthBaseUrl: env.X_AUTH_BASE_URL,
    linkedInAuthBaseUrl: env.LINKEDIN_AUTH_BASE_URL,
    xClient,
    linkedInClient,
    outboundAllowPrivate: env.OUTBOUND_ALLOW_PRIVATE,
    graphiql: env.GRAPHIQL && !isProduction,
    graphqlIntrospection: env.GRAPHQL_INTROSPECTION,
    graphqlSuggestions: env.GRAPHQL_SUGGESTIONS ?? !isProduction,
    trustProxy: env.TRUST_PROXY,
    metricsPort: env.METRICS_PORT,
    metricsToken: env.METRICS_TOKEN,
    registrationsPerAddressPerHour: env.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? `Sharepool <no-reply@${mailDomain(env.PUBLIC_URL)}>`,
    // Required in production; elsewhere only with a mail server to send through, so a first start needs no mailbox.
    emailVerificationRequired: (env.EMAIL_VERIFICATION ?? (isProduction || env.SMTP_URL ? 'required' : 'off')) === 'required',
    liveMaxConnections: env.LIVE_MAX_CONNECTIONS,
    networkConcurrency: env.NETWORK_CONCURRENCY,
    generatedSecrets: generated,
  }) satisfies AppConfig;
}

/** A network's OAuth app: an id alone (a public client) where the network allows it, a secret never alone. */
function oauthClient(
  prefix: 'X' | 'LINKEDIN',
  clientId: string | undefined,
  clientSecret: string | undefined,
  secretRequired: boolean,
): OAuthClientCredentials | undefined {
  if (!clientId) {
    if (clientSecret) throw new ConfigError(`${prefix}_CLIENT_ID`, `must be set when ${prefix}_CLIENT_SECRET is`);
    return undefined;
  }
  if (secretRequired && !clientSecret) throw new ConfigError(`${prefix}_CLIENT_SECRET`, `must be set when ${prefix}_CLIENT_ID is`);
  return { clientId, clientSecret };
}

/**
 * ENCRYPTION_KEY holds one or more keys, newest first: `2:<base64>,1:<base64>`.
 * A bare base64 key is version 1. Each key is 32 bytes (AES-256).
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const keys = value.split(',').map((part, index) => {
    const match = /^(?:(\d{1,6}):)?([A-Za-z0-9+/_=-]+)$/.exec(part.trim());
    const key = match ? Buffer.from(match[2]!, 'base64') : Buffer.alloc(0);
    if (!match || key.length !== 32) {
      throw new ConfigError('ENCRYPTION_KEY', `key #${index + 1} must be 32 bytes in base64, optionally prefixed with "<version>:"`);
    }
    return { version: match[1] ? Number(match[1]) : 1, key };
  });
  if (new Set(keys.map((k) => k.version)).size !== keys.length) {
    throw new ConfigError('ENCRYPTION_KEY', 'has two keys with the same version');
  }
  return keys;
}

/** The host of the public address, for the default sender (sharepool.local when there is none). */
function mailDomain(publicUrl: string | undefined): string {
  const host = publicUrl ? new URL(publicUrl).hostname : '';
  return host && host !== 'localhost' && !/^[\d.]+$/.test(host) ? host : 'sharepool.local';
}

/** The same configuration with the URLs of the services actually in use. */
export function withServiceUrls(config: AppConfig, urls: { databaseUrl: string; redisUrl: string }): AppConfig {
  return Object.freeze({ ...config, ...urls });
}
