import { APP_FILTER } from '@nestjs/core';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import type { AppConfig } from '@sharepool/config';
import type { Clock } from '@sharepool/kernel';
import { CoreModule, ProcessorsModule } from '@sharepool/runtime';
import { ApiKeyStrategy } from './auth/api-key.strategy.js';
import { AuthenticationMiddleware } from './auth/authentication.middleware.js';
import { JwtStrategy } from './auth/jwt.strategy.js';
import { SessionController } from './auth/session.controller.js';
import { DomainErrorFilter } from './graphql/domain-error.filter.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { RESOLVERS } from './graphql/schema-catalogue.js';
import { HealthController } from './http/health.controller.js';
import { MailLinksController } from './http/mail-links.controller.js';
import { MetricsController } from './http/metrics.controller.js';
import { MetricsServer } from './http/metrics-server.js';
import { OAuthCallbackController } from './http/oauth-callback.controller.js';
import { LiveHub } from './live/live-hub.js';
import { LiveServer } from './live/live-server.js';

export interface ApiModuleOptions {
  /** Also run the job processors in this process (`npm start` on one machine). */
  readonly withWorker?: boolean;
  /** The built web client to serve (default apps/web/dist when it exists). */
  readonly webDir?: string;
  /** The time domain rules count days by (tests move their own); the system's by default. */
  readonly clock?: Clock;
}

/** The HTTP process: GraphQL, health, metrics; optionally the worker too. */
@Module({})
export class ApiModule implements NestModule {
  static forRoot(config: AppConfig, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(config, { clock: options.clock }), GraphqlApiModule, ...(options.withWorker ? [ProcessorsModule] : [])],
      controllers: [HealthController, MailLinksController, MetricsController, SessionController, OAuthCallbackController],
      providers: [
        ...RESOLVERS,
        JwtStrategy,
        ApiKeyStrategy,
        MetricsServer,
        LiveHub,
        LiveServer,
        { provide: APP_FILTER, useClass: DomainErrorFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticationMiddleware).forRoutes('graphql');
  }
}
