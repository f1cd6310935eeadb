import type { Logger } from 'pino';
import { type AppConfig, ConfigError, loadConfig, withServiceUrls } from '@sharepool/config';
import { runMigrations } from '@sharepool/database';
import { createLogger } from '@sharepool/observability';
import { ServiceStartError } from './service-error.js';
import { type Services, startServices } from './services.js';

export interface PreparedProcess {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly services: Services;
}

/**
 * Everything a process does before Nest starts: validate the configuration,
 * start embedded services if none are configured, apply migrations. A problem
 * the user can fix ends the process with one clear line, not a stack trace.
 */
export async function prepareProcess(name: string): Promise<PreparedProcess> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWith(`Configuration error: ${error.message}`);
    throw error;
  }
  const logger = createLogger(config.logLevel, `sharepool-${name}`);
  let services: Services;
  try {
    services = await startServices(config, logger);
  } catch (error) {
    if (error instanceof ServiceStartError) exitWith(error.message);
    throw error;
  }
  try {
    const applied = await runMigrations(services.databaseUrl);
    if (applied.length) logger.info({ migrations: applied }, `Applied ${applied.length} migration(s)`);
  } catch (error) {
    await services.stop();
    exitWith(`The database could not be migrated: ${(error as Error).message}`);
  }
  return { config: withServiceUrls(config, services), logger, services };
}

/**
 * Ends a start that failed after the embedded services were started: stops them (else they
 * would outlive the process), then says in one line what to do when the cause is the HTTP port.
 */
export async function failedToServe(error: unknown, services: Services, listen: { port: number; host: string }): Promise<never> {
  await services.stop();
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    exitWith(`Port ${listen.port} on ${listen.host} is in use by another program: stop it, or set PORT to a free port.`);
  }
  if (code === 'EACCES') exitWith(`This user may not listen on port ${listen.port}: set PORT to a number above 1023.`);
  if (code === 'EADDRNOTAVAIL') exitWith(`HOST ${listen.host} is not an address of this machine: set HOST to one (0.0.0.0: all).`);
  throw error;
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * Runs `shutdown` once on SIGTERM or SIGINT, then exits. A second signal, or
 * shutdown taking longer than `graceMs`, exits at once.
 */
export function handleShutdownSignals(logger: Logger, shutdown: () => Promise<void>, graceMs = 30_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received: finishing in-flight work, then stopping`);
    const timer = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms: exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    shutdown().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
