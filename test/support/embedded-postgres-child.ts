// The embedded PostgreSQL started in a process of its own, as `npm start` would start it, for
// libs/runtime's spec: `node --import <ts-loader> embedded-postgres-child.ts '<job as JSON>'`.
// With `uid`/`gid` it first becomes that user (it starts as root, loads its code, then drops
// root), to start PostgreSQL as a member who is not root would. It runs the job's SQL, prints
// one JSON line ({ uid, postgresUid, rows }), stops PostgreSQL and exits 0; a ServiceStartError
// is printed as its one line on stderr, exit 1.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceStartError, startEmbeddedPostgres } from '@sharepool/runtime';
import pg from 'pg';
import { pino } from 'pino';

interface Job {
  readonly dataDir: string;
  readonly binariesFrom?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly sql: readonly string[];
}

const job = JSON.parse(process.argv[2]!) as Job;
if (job.uid !== undefined) {
  process.setgroups!([]);
  process.setgid!(job.gid!);
  process.setuid!(job.uid);
}

try {
  const postgres = await startEmbeddedPostgres(job.dataDir, pino({ level: 'silent' }), { binariesFrom: job.binariesFrom });
  const postmaster = Number(readFileSync(join(realpathSync(join(job.dataDir, 'postgres')), 'postmaster.pid'), 'utf8').split('\n')[0]);
  const postgresUid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postmaster}/status`, 'utf8'))![1]);
  const client = new pg.Client({ connectionString: postgres.url });
  const rows: unknown[] = [];
  try {
    await client.connect();
    for (const sql of job.sql) rows.push((await client.query(sql)).rows);
  } finally {
    await client.end();
    await postgres.stop();
  }
  process.stdout.write(`${JSON.stringify({ uid: process.getuid!(), postgresUid, rows })}\n`);
} catch (error) {
  if (!(error instanceof ServiceStartError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
