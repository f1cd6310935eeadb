import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const url = (protocols: string[]) =>
  z
    .string()
    .optional()
    .refine(
      (v) => {
        if (v === undefined || v === '') return true;
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL` },
    )
    .transform((v) => (v ? v : undefined));

/** Every environment variable Sharepool reads, with its rule and default. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 of letters, digits, ":", "_" or "-"')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ENCRYPTION_KEY: z.string().optional(),
  API_KEY_PEPPER: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  ADMIN_PASSWORD: z.string().optional(),
  SIGNUP_GRANT: int(100, 0, 1_000_000),
  TRUST_RULES: z.string().optional(),
  TRUST_REVIEW_SECONDS: int(15, 1, 60),
  CHANNEL_MIN_INTERVAL_SECONDS: int(30, 0, 86_400),
  WORKER_CONCURRENCY: int(8, 1, 256),
  SHARE_LEASE_SECONDS: int(60, 5, 3600),
  SWEEP_INTERVAL_SECONDS: int(5, 1, 3600),
  FEED_CACHE_SECONDS: int(5, 0, 300),
  PUBLIC_URL: url(['https:', 'http:']).refine((v) => v === undefined || !/[?#]/.test(v), { message: 'must have no query or fragment' }),
  X_API_BASE_URL: url(['https:', 'http:']),
  X_AUTH_BASE_URL: url(['https:', 'http:']),
  X_CLIENT_ID: z.string().max(200).optional(),
  X_CLIENT_SECRET: z.string().max(500).optional(),
  LINKEDIN_API_BASE_URL: url(['https:', 'http:']),
  LINKEDIN_AUTH_BASE_URL: url(['https:', 'http:']),
  LINKEDIN_CLIENT_ID: z.string().max(200).optional(),
  LINKEDIN_CLIENT_SECRET: z.string().max(500).optional(),
  OUTBOUND_ALLOW_PRIVATE: bool(false),
  GRAPHIQL: bool(true),
  GRAPHQL_INTROSPECTION: bool(true),
  /** Unset: on outside production, off in production. */
  GRAPHQL_SUGGESTIONS: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v))),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v ?? 'loopback');
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be true, false, a number of hops, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDR ranges',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  METRICS_PORT: int(0, 0, 65535),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: int(10, 1, 1_000_000),
  SMTP_URL: url(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  EMAIL_VERIFICATION: z.enum(['required', 'off'], { error: 'must be required or off' }).optional(),
  LIVE_MAX_CONNECTIONS: int(1000, 1, 100_000),
  NETWORK_CONCURRENCY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseNetworkConcurrency(v ?? '');
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of NETWORK=limit (networks ${NETWORK_NAMES.join(', ')}; limits 1-1000)`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
});

const NETWORK_NAMES = ['WEBHOOK', 'MASTODON', 'BLUESKY', 'X', 'LINKEDIN'] as const;

/** NETWORK_CONCURRENCY ("WEBHOOK=16,X=2"): the networks it names and their limits; undefined when it is not valid. */
export function parseNetworkConcurrency(value: string): Record<string, number> | undefined {
  const limits: Record<string, number> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Z]+)=(\d{1,4})$/.exec(part);
    const limit = Number(match?.[2]);
    if (!match || !(NETWORK_NAMES as readonly string[]).includes(match[1]!) || limit < 1 || limit > 1000) return undefined;
    limits[match[1]!] = limit;
  }
  return limits;
}

/** Express's `trust proxy` setting from TRUST_PROXY; undefined when it is not valid. */
export function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed);
  const parts = trimmed.split(',').map((part) => part.trim());
  const valid = (part: string) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return true;
    if (part.includes('/')) {
      try {
        ipaddr.parseCIDR(part);
        return true;
      } catch {
        return false;
      }
    }
    return ipaddr.isValid(part);
  };
  return parts.length > 0 && parts.every(valid) ? parts : undefined;
}

export type Env = z.infer<typeof envSchema>;
