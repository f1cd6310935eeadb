import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

// Compiled to dist/bench/support; the client stays a plain script beside the sources.
const CLIENT = fileURLToPath(new URL('../../../bench/support/load-client.mjs', import.meta.url));

/** Runs the load client in a child process against a GraphQL endpoint. */
export function graphqlLoad(
  url: string,
  query: string,
  options: { concurrency: number; seconds: number; token?: string; variables?: object },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query, variables: options.variables ?? {} });
    const args = [CLIENT, url, String(options.concurrency), String(options.seconds), body, ...(options.token ? [options.token] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult) : reject(new Error(`load client exited with ${code}`)),
    );
  });
}

const GET_CLIENT = fileURLToPath(new URL('../../../bench/support/get-load-client.mjs', import.meta.url));

/** Runs the GET load client in a child process: the paths of `pathsFile` in turn, each request a new visitor. */
export function getLoad(
  base: string,
  pathsFile: string,
  options: { concurrency: number; seconds: number; expectedStatus: number; firstVisitor?: number },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const args = [
      GET_CLIENT,
      base,
      String(options.concurrency),
      String(options.seconds),
      pathsFile,
      String(options.expectedStatus),
      String(options.firstVisitor ?? 0),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult) : reject(new Error(`load client exited with ${code}`)),
    );
  });
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** The `p`th percentile (0-100) of values sorted ascending (nearest rank); 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
