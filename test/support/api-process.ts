import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `apps/api/src/main.ts` as an OS process of its own (from the sources, like
 * worker-process.ts), listening on a free port, so a test can SIGKILL it.
 */
export interface ApiProcess {
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote so far (pino JSON lines on stdout, anything else on stderr). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

const START_TIMEOUT_MS = 120_000;
const LISTENING = /GraphQL {3}http:\/\/localhost:(\d+)\/graphql/;

/** Starts an API process (environment as workerEnvironment gives it) and resolves once it listens. */
export async function startApiProcess(environment: Record<string, string>): Promise<ApiProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-api-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', './test/support/ts-loader.mjs', 'apps/api/src/main.ts'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...environment },
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
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start in ${START_TIMEOUT_MS} ms:\n${output.slice(-4000)}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const match = LISTENING.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(match[1]!);
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited while starting (${code ?? signal}):\n${output.slice(-4000)}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, exited, output: () => output, kill: (signal) => void child.kill(signal) };
}
