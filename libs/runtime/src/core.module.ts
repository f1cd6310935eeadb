import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@sharepool/config';
import { DatabaseModule } from '@sharepool/database';
import { ObservabilityModule } from '@sharepool/observability';
import { QueueModule } from '@sharepool/queue';
import { RedisModule } from '@sharepool/redis';
import { DOMAIN_MODULES } from './domain-modules.js';

/** What every Sharepool process runs on: config, Postgres, Redis, the queue, metrics, the domains. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [ConfigModule.forRoot(config), ObservabilityModule, DatabaseModule, RedisModule, QueueModule, ...DOMAIN_MODULES],
      exports: [...DOMAIN_MODULES],
    };
  }
}
