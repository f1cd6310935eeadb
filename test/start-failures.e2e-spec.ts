import { execSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestEnvironment, TEST_SECRETS, type TestEnvironment } from '@sharepool/testing';

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when it started instead (then it was stopped with SIGTERM). */
  readonly started: boolean;
}

/** `npm start`'s process (API and worker), from the sources, until it ends. */
function runSharepool(env: Record<string, string>): Promise<Ended> {
  const child = spawn(process.execPath, ['--import', './test/support/ts-loader.mjs', 'apps/api/src/main.ts', '--with-worker'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let started = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (!started && stdout.includes('Sharepool is running')) {
      started = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, started })));
}

/** As root, a DATA_DIR in a private folder has its cluster under /var/lib/sharepool: removed with the test's DATA_DIR. */
function removeEmbeddedCluster(dataDir: string): void {
  const link = join(dataDir, 'postgres');
  if (existsSync(link) && lstatSync(link).isSymbolicLink()) rmSync(dirname(realpathSync(link)), { recursive: true, force: true });
}

/** What a person reads: one line on stderr, nothing that looks like a stack trace. */
function expectOneLine(ended: Ended, line: string | RegExp): void {
  expect(ended.started).toBe(false);
  expect(ended.code).toBe(1);
  const lines = ended.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(ended.stderr + ended.stdout).not.toMatch(/\n\s+at /);
}

describe('a start that cannot work ends with one line that says what to do', () => {
  let env: TestEnvironment;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sharepool-start-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    env = await createTestEnvironment();
  });
  /** The test's Redis, with its own key prefix (removed afterwards). */
  const queue = () => ({ REDIS_URL: env.config.redisUrl!, QUEUE_PREFIX: env.redisPrefix });
  afterAll(async () => {
    await env.cleanup();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('names the port when another program listens on PORT, and stops the embedded PostgreSQL it started', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const dataDir = tempDir();
    try {
      const ended = await runSharepool({ ...TEST_SECRETS, ...queue(), DATA_DIR: dataDir, PORT: String(port) });
      expectOneLine(ended, `Port ${port} on 127.0.0.1 is in use by another program: stop it, or set PORT to a free port.`);
      // It did start one (that is where the port was found taken), and stopped it.
      const cluster = realpathSync(join(dataDir, 'postgres'));
      expect(existsSync(join(cluster, 'PG_VERSION'))).toBe(true);
      expect(execSync(`pgrep -f "[p]ostgres -D ${cluster}" || true`).toString().trim()).toBe('');
    } finally {
      taken.close();
      removeEmbeddedCluster(dataDir);
    }
  }, 120_000);

  it('says DATA_DIR cannot be written when the secrets it should keep cannot be', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const ended = await runSharepool({ DATABASE_URL: env.db.url, ...queue(), DATA_DIR: join(file, 'data') });
    expectOneLine(ended, /^Configuration error: DATA_DIR \(.*\) cannot be written by this user \(ENOTDIR\)/);
  }, 120_000);

  it('says why the embedded PostgreSQL cannot start, instead of crashing', async () => {
    // Something that is not a cluster where the embedded PostgreSQL keeps its data.
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'postgres'));
    writeFileSync(join(dataDir, 'postgres', 'notes.txt'), 'mine');
    const ended = await runSharepool({ ...TEST_SECRETS, ...queue(), DATA_DIR: dataDir, PORT: '0' });
    expectOneLine(ended, `${join(dataDir, 'postgres')} is not a PostgreSQL data folder and not empty: move it away and start again.`);
  }, 120_000);
});
