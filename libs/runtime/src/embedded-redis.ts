import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RunningService } from './embedded-postgres.js';
import { freePort, isAlive, waitForExit } from './free-port.js';
import { ServiceStartError } from './service-error.js';

const HOW_TO_GET_REDIS =
  'Sharepool needs Redis for its queue. Install it (apt-get install redis-server), ' +
  'run it in a container (docker compose up -d redis), or set REDIS_URL.';

/** True when a Redis at host:port answers PING within `timeoutMs`. */
export function redisAnswers(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Redis for a machine with nothing configured: the one on 127.0.0.1:6379 if it
 * answers, else a `redis-server` from PATH with its data in DATA_DIR/redis.
 */
export async function startDefaultRedis(
  dataDir: string,
  logger: Logger,
  options: { probeDefaultPort?: boolean } = {},
): Promise<RunningService> {
  if ((options.probeDefaultPort ?? true) && (await redisAnswers('127.0.0.1', 6379))) {
    return { url: 'redis://127.0.0.1:6379', label: 'Redis on 127.0.0.1:6379 (found running)', stop: async () => {} };
  }
  const dir = join(dataDir, 'redis');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ServiceStartError(
      `Redis's data folder ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        'set DATA_DIR to a folder this user can write, or set REDIS_URL.',
    );
  }
  const pidFile = join(dir, 'redis-server.pid');
  await stopLeftover(pidFile, logger);

  // A free port can be taken by someone else before redis-server binds it: then take another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await spawnRedis(dir, port, logger);
      writeFileSync(pidFile, String(child.pid));
      return {
        url: `redis://127.0.0.1:${port}`,
        label: `redis-server on 127.0.0.1:${port} (started by Sharepool), data in ${dir}`,
        stop: async () => {
          if (child.pid && isAlive(child.pid)) {
            child.kill('SIGTERM');
            await waitForExit(child.pid, 10_000);
          }
          rmSync(pidFile, { force: true });
        },
      };
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= 5) throw error;
      logger.warn(`${error.message} Trying another port.`);
    }
  }
}

class PortInUseError extends ServiceStartError {}

/** Starts redis-server on `port` and resolves once it accepts connections; rejects with one line otherwise. */
function spawnRedis(dir: string, port: number, logger: Logger): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    // Own process group: a Ctrl+C in the terminal must not stop Redis before the queue drained.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
  );
  let output = '';
  return new Promise<ChildProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServiceStartError(`redis-server did not become ready within 10 s. ${HOW_TO_GET_REDIS}`));
    }, 10_000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ServiceStartError(
          error.code === 'ENOENT'
            ? `No Redis found on 127.0.0.1:6379 and no redis-server on PATH. ${HOW_TO_GET_REDIS}`
            : `redis-server could not be run (${error.code ?? error.message}). ${HOW_TO_GET_REDIS}`,
        ),
      );
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (/Address already in use/.test(output)) {
        reject(new PortInUseError(`Port ${port} on 127.0.0.1 is already in use.`));
        return;
      }
      const said = output
        .split('\n')
        .map((line) => line.replace(/^\d+:[A-Z] .*?\d\d:\d\d:\d\d\.\d+ [#*.-] /, '').trim())
        .filter(Boolean)
        .pop();
      reject(
        new ServiceStartError(
          `redis-server stopped while starting (${said ? `${said}; ` : ''}${signal ? `killed by ${signal}` : `exit code ${code}`}); ` +
            `data in ${dir}. ${HOW_TO_GET_REDIS}`,
        ),
      );
    });
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      logger.debug({ service: 'embedded-redis' }, text.trim());
      if (text.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.off('data', onOutput);
        child.stderr!.off('data', onOutput);
        child.stdout!.resume();
        child.stderr!.resume();
        child.unref();
        resolve(child);
      }
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
  });
}

async function stopLeftover(pidFile: string, logger: Logger): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('redis-server')) {
      logger.warn(`Stopping the redis-server (pid ${pid}) left behind by an earlier run`);
      process.kill(pid, 'SIGTERM');
      await waitForExit(pid, 10_000);
    }
  }
  rmSync(pidFile, { force: true });
}
