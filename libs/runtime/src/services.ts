import type { Logger } from 'pino';
import type { AppConfig } from '@sharepool/config';
import { type RunningService, startEmbeddedPostgres } from './embedded-postgres.js';
import { startDefaultRedis } from './embedded-redis.js';

export interface Services {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly databaseLabel: string;
  readonly redisLabel: string;
  /** Stops what Sharepool started itself; call it last in shutdown. */
  stop(): Promise<void>;
}

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/** The configured Postgres and Redis, or embedded ones when none are configured. */
export async function startServices(config: AppConfig, logger: Logger): Promise<Services> {
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop().catch((e) => logger.error({ err: e }, 'stopping a service failed'));
  };
  try {
    const database: RunningService = config.databaseUrl
      ? { url: config.databaseUrl, label: redact(config.databaseUrl), stop: async () => {} }
      : await startEmbeddedPostgres(config.dataDir, logger);
    started.push(database);
    const redis: RunningService = config.redisUrl
      ? { url: config.redisUrl, label: redact(config.redisUrl), stop: async () => {} }
      : await startDefaultRedis(config.dataDir, logger);
    started.push(redis);
    return { databaseUrl: database.url, redisUrl: redis.url, databaseLabel: database.label, redisLabel: redis.label, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
