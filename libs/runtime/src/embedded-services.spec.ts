import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startDefaultRedis } from './embedded-redis.js';
import { isAlive } from './free-port.js';

const logger = pino({ level: 'silent' });

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// "[p]ostgres" keeps pgrep from matching the shell that runs it.
const postgresPidsIn = (dir: string) => execSync(`pgrep -f "[p]ostgres -D ${dir}" || true`).toString().trim();

describe('the embedded default services', () => {
  // Under /tmp: the postgres user must be able to reach the data dir when we run as root.
  const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs PostgreSQL from the npm package, keeps data across restarts and leaves no process behind', async () => {
    const first = await startEmbeddedPostgres(dataDir, logger);
    await query(first.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');
    await first.stop();
    expect(postgresPidsIn(join(dataDir, 'postgres'))).toBe('');

    const second = await startEmbeddedPostgres(dataDir, logger);
    try {
      expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
      expect(await query(second.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
    } finally {
      await second.stop();
    }
    expect(postgresPidsIn(join(dataDir, 'postgres'))).toBe('');
  }, 60_000);

  it('stops a PostgreSQL left running by a killed Sharepool before starting its own', async () => {
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
  }, 60_000);

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
    const pid = Number(execSync(`cat ${pidFile}`).toString());
    await redis.stop();
    expect(isAlive(pid)).toBe(false);
  }, 30_000);
});
