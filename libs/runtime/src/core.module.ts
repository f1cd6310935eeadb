import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '../../config/src/index.js';
import { DatabaseModule } from '../../database/src/index.js';
import { ObservabilityModule } from '../../observability/src/index.js';
import { QueueModule } from '../../queue/src/index.js';
import { RedisModule } from '../../redis/src/index.js';
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
