import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { PostgresBinaries, PostgresUser } from './postgres-placement.js';
import { ServiceStartError } from './service-error.js';

/** How a PostgreSQL start failed, when knowing it lets the caller try again. */
export type PostgresStartProblem = 'port-in-use' | 'shared-memory-in-use' | 'other';

export class PostgresStartError extends ServiceStartError {
  constructor(
    message: string,
    readonly problem: PostgresStartProblem = 'other',
  ) {
    super(message);
  }
}

export interface PostgresProcessOptions {
  readonly binaries: PostgresBinaries;
  readonly user: PostgresUser;
  readonly databaseDir: string;
  readonly log: Logger;
}

export interface PostgresServer {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const ADVICE = 'Set DATABASE_URL to use another PostgreSQL.';

/** English messages whatever the machine's locale (readiness is read from them), and no locale to be missing. */
const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C', LANG: 'C' });

/** Creates the cluster with `superuser` (scram-sha-256), UTF8, locale C. */
export async function initCluster(options: PostgresProcessOptions & { superuser: string; password: string }): Promise<void> {
  const { binaries, user, databaseDir, log } = options;
  // Beside the cluster's folder, which the postgres user can reach; it holds the password only while initdb reads it.
  const pwFile = join(dirname(databaseDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (user.uid !== undefined) chownSync(pwFile, user.uid, user.gid!);
    const args = [
      `--pgdata=${databaseDir}`,
      '--auth=scram-sha-256',
      `--username=${options.superuser}`,
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const child = spawn(binaries.initdb, args, {
      uid: user.uid,
      gid: user.gid,
      cwd: dirname(databaseDir),
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child, (line) => log.debug(line));
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (error) => reject(spawnFailure(error, binaries.initdb, user)));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    if (result.code !== 0) {
      throw new PostgresStartError(
        `Creating the embedded PostgreSQL cluster in ${databaseDir} failed (initdb: ${reason(output(), result)}). ${ADVICE}`,
      );
    }
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/**
 * Starts `postgres` on 127.0.0.1:`port` (no Unix socket) in a process group of its own, so a
 * Ctrl+C in the terminal reaches Sharepool, which stops PostgreSQL last. Resolves once it
 * accepts connections; rejects with one line as soon as it exits or cannot be run.
 */
export function startPostgres(options: PostgresProcessOptions & { port: number }): Promise<PostgresServer> {
  const { binaries, user, databaseDir, log, port } = options;
  const args = ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(binaries.postgres, [...args, '-c', 'max_connections=200'], {
    uid: user.uid,
    gid: user.gid,
    cwd: dirname(databaseDir),
    env: childEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  return new Promise<PostgresServer>((resolve, reject) => {
    const output = collect(child, (line) => {
      log.debug(line);
      if (!ready && line.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve({ pid: child.pid!, port, stop });
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PostgresStartError(`The embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s. ${ADVICE}`));
    }, START_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(spawnFailure(error, binaries.postgres, user));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(startFailure(output(), { code, signal }, port, databaseDir));
      else if (!stopping) log.error(`The embedded PostgreSQL stopped unexpectedly (${reason(output(), { code, signal })})`);
    });

    async function stop(): Promise<void> {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: ends sessions, writes a checkpoint
      const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!stopped) {
        child.kill('SIGQUIT');
        await exited;
      }
    }
  });
}

/** Forwards the child's output line by line; returns a reader of the last lines, for error messages. */
function collect(child: ChildProcess, onLine: (line: string) => void): () => string[] {
  const last: string[] = [];
  const read = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
        last.push(line);
        if (last.length > 40) last.shift();
        onLine(line);
      }
    });
    stream?.on('end', () => {
      if (partial.trim()) {
        last.push(partial.trim());
        onLine(partial.trim());
      }
    });
  };
  read(child.stdout);
  read(child.stderr);
  return () => last;
}

function spawnFailure(error: NodeJS.ErrnoException, file: string, user: PostgresUser): PostgresStartError {
  const why =
    error.code === 'EACCES'
      ? `the ${user.name} user may not run it: the file is not executable or a folder above it is private`
      : error.code === 'ENOENT'
        ? 'it is missing'
        : error.message;
  return new PostgresStartError(
    `Could not run ${file} (${error.code ?? 'error'}: ${why}). Run npm install again, or set DATABASE_URL to use another PostgreSQL.`,
  );
}

function startFailure(
  lines: string[],
  exit: { code: number | null; signal: NodeJS.Signals | null },
  port: number,
  databaseDir: string,
): PostgresStartError {
  const text = lines.join('\n');
  if (/could not bind .*Address already in use|could not create any TCP\/IP sockets/.test(text)) {
    return new PostgresStartError(`Port ${port} on 127.0.0.1 is already in use. ${ADVICE}`, 'port-in-use');
  }
  if (/pre-existing shared memory block .* is still in use/.test(text)) {
    return new PostgresStartError(
      `A PostgreSQL that was stopped abruptly still holds the data in ${databaseDir}: wait a few seconds and start again.`,
      'shared-memory-in-use',
    );
  }
  if (/lock file "postmaster.pid" already exists/.test(text)) {
    return new PostgresStartError(
      `Another PostgreSQL is running on the data in ${databaseDir} (see its postmaster.pid): stop it and start again. ${ADVICE}`,
    );
  }
  return new PostgresStartError(`The embedded PostgreSQL did not start (${reason(lines, exit)}); data in ${databaseDir}. ${ADVICE}`);
}

/** The line that says why, else how it ended. */
function reason(lines: string[], exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  const said = [...lines].reverse().find((line) => /FATAL|PANIC|ERROR|error:/.test(line)) ?? lines[lines.length - 1];
  const ended = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  return said ? `${said.replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '')}; ${ended}` : ended;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
