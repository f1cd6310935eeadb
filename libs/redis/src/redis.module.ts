import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@sharepool/config';

/** Injection token of the shared ioredis client (keys prefixed with QUEUE_PREFIX). */
export const REDIS = Symbol('REDIS');

/** Opens a Redis client for Sharepool's own keys (throttles, rate limits, locks). */
export function createRedis(url: string, prefix: string): Redis {
  return new Redis(url, { keyPrefix: `${prefix}:`, maxRetriesPerRequest: 3, enableReadyCheck: true, lazyConnect: false });
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedis(requireUrl(config.redisUrl), config.queuePrefix),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('The Redis URL is not resolved yet: start the embedded services first');
  return url;
}
