import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger } from '@sharepool/observability';
import { handleShutdownSignals, prepareProcess } from '@sharepool/runtime';
import { WorkerModule } from './worker.module.js';

/** `npm run start:worker`: consumes the queue; run as many as needed on one Postgres and Redis. */
async function main(): Promise<void> {
  const { config, logger, services } = await prepareProcess('worker');
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  try {
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new PinoNestLogger(logger) });
    await app.init();
  } catch (error) {
    await services.stop(); // embedded Postgres and Redis must not outlive a failed start
    throw error;
  }
  handleShutdownSignals(logger, async () => {
    await app.close();
    await services.stop();
  });
  logger.info(
    `Sharepool worker running (concurrency ${config.workerConcurrency}); database: ${services.databaseLabel}; redis: ${services.redisLabel}`,
  );
}

void main();
