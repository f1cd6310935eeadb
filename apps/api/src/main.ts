import 'reflect-metadata';
import type { Server } from 'node:http';
import { join, relative } from 'node:path';
import type { AppConfig } from '@sharepool/config';
import { failedToServe, handleShutdownSignals, prepareProcess } from '@sharepool/runtime';
import { createApiApp } from './create-api-app.js';
import { webDistDir } from './http/http-pipeline.js';

/**
 * `npm run start:api` serves HTTP only; `npm start` adds `--with-worker` and runs
 * the job processors in the same process, for a single machine.
 */
async function main(): Promise<void> {
  const withWorker = process.argv.includes('--with-worker');
  const { config, logger, services } = await prepareProcess(withWorker ? 'all' : 'api');
  let app: Awaited<ReturnType<typeof createApiApp>> | undefined;
  try {
    app = await createApiApp(config, logger, { withWorker });
    (app.getHttpServer() as Server).keepAliveTimeout = 65_000;
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    return failedToServe(error, services, config);
  }
  const server = app.getHttpServer() as Server;

  handleShutdownSignals(logger, async () => {
    server.closeIdleConnections();
    await app.close(); // stops accepting, lets requests and jobs in flight finish, closes pools
    await services.stop(); // embedded Postgres and Redis go last
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://localhost:${port}`;
  const lines = [
    `Sharepool is running (${config.env}${withWorker ? ', API and worker' : ', API only'})`,
    `  Web app   ${webDistDir() ? `${base}/` : '(not built: npm run build:web)'}`,
    `  GraphQL   ${base}/graphql`,
    ...(config.graphiql ? [`  GraphiQL  ${base}/graphiql`] : []),
    `  Health    ${base}/health  (ready: ${base}/ready, metrics: ${metricsLabel(config, base)})`,
    `  Database  ${services.databaseLabel}`,
    `  Redis     ${services.redisLabel}`,
    ...(config.adminEmail && config.generatedSecrets.some((p) => p.endsWith('ADMIN_PASSWORD'))
      ? [`  Admin     ${config.adminEmail} (password in ${shortPath(join(config.dataDir, 'secrets', 'ADMIN_PASSWORD'))})`]
      : []),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/** Where the metrics are served, and on what terms (see apps/api/src/http/metrics-access.ts). */
function metricsLabel(config: AppConfig, base: string): string {
  if (config.metricsPort)
    return `http://localhost:${config.metricsPort}/metrics${config.metricsToken ? `, ${base}/metrics with the token` : ''}`;
  if (config.metricsToken) return `${base}/metrics with the METRICS_TOKEN bearer token`;
  return config.isProduction ? 'off: set METRICS_PORT or METRICS_TOKEN' : `${base}/metrics`;
}

/** A path relative to the working directory when it lies inside it. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

void main();
