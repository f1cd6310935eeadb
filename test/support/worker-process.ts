import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRETS, type TestEnvironment } from '@sharepool/testing';

/**
 * `apps/worker/src/main.ts` as an OS process of its own, run from the sources
 * through the TypeScript loader, so a test can SIGTERM or SIGKILL it.
 */
export interface WorkerProcess {
  readonly pid: number;
  /** Resolves when the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote so far (pino JSON lines on stdout, anything else on stderr). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

const READY = 'Sharepool worker running';
const START_TIMEOUT_MS = 120_000;

/** The environment a worker needs to run on a test's database and queue, plus `extra` (LOG_LEVEL stays info: readiness is read from the log). */
export function workerEnvironment(env: TestEnvironment, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: env.config.databaseUrl!,
    REDIS_URL: env.config.redisUrl!,
    QUEUE_PREFIX: env.config.queuePrefix,
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...TEST_SECRETS,
    ...extra,
  };
}

/** Starts a worker and resolves once it is taking jobs. */
export async function startWorkerProcess(environment: Record<string, string>): Promise<WorkerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-worker-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', './test/support/ts-loader.mjs', 'apps/worker/src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker did not start in ${START_TIMEOUT_MS} ms:\n${output.slice(-4000)}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      if (!output.includes(READY)) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited while starting (${code ?? signal}):\n${output.slice(-4000)}`));
    });
  });

  return {
    pid: child.pid!,
    exited,
    output: () => output,
    kill: (signal) => void child.kill(signal),
  };
}
