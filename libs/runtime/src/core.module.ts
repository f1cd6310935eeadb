import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@sharepool/config';
import { DatabaseModule } from '@sharepool/database';
import type { Clock } from '@sharepool/kernel';
import { ObservabilityModule } from '@sharepool/observability';
import { QueueModule } from '@sharepool/queue';
import { RedisModule } from '@sharepool/redis';
import { ClockModule } from './clock.module.js';
import { DOMAIN_MODULES } from './domain-modules.js';

export interface CoreOptions {
  /** The time domain rules count days by; the system's unless a test moves its own. */
  readonly clock?: Clock;
}

/** What every Sharepool process runs on: config, the clock, Postgres, Redis, the queue, metrics, the domains. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, options: CoreOptions = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock),
        ObservabilityModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        ...DOMAIN_MODULES,
      ],
      exports: [...DOMAIN_MODULES],
    };
  }
}
