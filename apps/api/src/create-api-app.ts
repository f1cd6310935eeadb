import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Logger } from 'pino';
import type { AppConfig } from '@sharepool/config';
import { Metrics, PinoNestLogger } from '@sharepool/observability';
import { mountQueueBoard } from './admin/queue-board.js';
import { ApiModule, type ApiModuleOptions } from './api.module.js';
import { configureHttpPipeline, webDistDir } from './http/http-pipeline.js';
import { LiveServer } from './live/live-server.js';

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(config: AppConfig, logger: Logger, options: ApiModuleOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(config, options), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  configureHttpPipeline(app, config, logger, app.get(Metrics), options.webDir ?? webDistDir());
  mountQueueBoard(app);
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  // Subscriptions share the HTTP server and the schema Nest built.
  app.get(LiveServer).attach(app.getHttpServer() as Server, app.get(GraphQLSchemaHost).schema);
  return app;
}
