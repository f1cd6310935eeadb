import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, TransactionRunner } from '@sharepool/database';
import { LedgerService, verifyLedger } from '@sharepool/ledger';
import { createMigratedDatabase, dropDatabase, randomSuffix, TEST_POSTGRES_URL, databaseUrl } from '@sharepool/testing';

/*
 * `npm run bench:ledger`: credit transfers per second through LedgerService with
 * 8 concurrent clients, against `pgbench -b tpcb-like -c 8` on the same server in
 * the same run. The last line is the result; the goal is a ratio of at least 0.5.
 */

const CLIENTS = 8;
const ACCOUNTS = 1_000;
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const run = promisify(execFile);

/** pgbench from PATH, else from the newest PostgreSQL under /usr/lib/postgresql. */
function pgbenchBinary(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = join(root, version, 'bin', 'pgbench');
    if (existsSync(candidate)) return candidate;
  }
  return 'pgbench';
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function benchLedger(): Promise<{ perSecond: number; latencies: number[]; transfers: number }> {
  const db = await createMigratedDatabase('sharepool_bench_ledger');
  const dataSource = new DataSource(dataSourceOptions({ url: db.url, poolSize: CLIENTS, applicationName: 'sharepool-bench' }));
  try {
    await dataSource.initialize();
    const transactions = new TransactionRunner(dataSource);
    const ledger = new LedgerService(transactions);

    const members = Array.from({ length: ACCOUNTS }, () => randomUUID());
    for (let i = 0; i < members.length; i += 100) {
      await transactions.run(async (tx) => {
        for (const member of members.slice(i, i + 100)) {
          await ledger.openMemberAccount(tx, member);
          await ledger.transfer(tx, {
            id: randomUUID(),
            debit: { system: 'ISSUANCE' },
            credit: { member },
            amount: 1_000_000,
            kind: 'SIGNUP_GRANT',
          });
        }
      });
    }

    let measuring = false;
    let stop = false;
    const latencies: number[] = [];
    const client = async () => {
      while (!stop) {
        const from = members[Math.floor(Math.random() * ACCOUNTS)]!;
        let to = from;
        while (to === from) to = members[Math.floor(Math.random() * ACCOUNTS)]!;
        const started = performance.now();
        await transactions.run((tx) =>
          ledger.transfer(tx, {
            id: randomUUID(),
            debit: { member: from },
            credit: { member: to },
            amount: 1 + Math.floor(Math.random() * 10),
            kind: 'ADJUSTMENT',
          }),
        );
        if (measuring) latencies.push(performance.now() - started);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_SECONDS * 1000));
    measuring = true;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    const measured = latencies.length;
    stop = true;
    await Promise.all(clients);

    const report = await verifyLedger(dataSource);
    process.stdout.write(
      `ledger verify: ${report.ok ? 'consistent' : 'INCONSISTENT'} (${report.transfers} transfers, ${report.entries} entries in ${Math.round(report.elapsedMs)} ms)\n`,
    );
    if (!report.ok) throw new Error('the benchmark left the ledger inconsistent');
    return { perSecond: measured / elapsed, latencies: latencies.slice(0, measured).sort((a, b) => a - b), transfers: measured };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  }
}

async function benchPgbench(): Promise<number> {
  const name = `sharepool_bench_pgbench_${randomSuffix()}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const server = new URL(databaseUrl(name));
  const env = {
    ...process.env,
    PGHOST: server.hostname,
    PGPORT: server.port || '5432',
    PGUSER: decodeURIComponent(server.username || 'postgres'),
    PGPASSWORD: decodeURIComponent(server.password),
  };
  try {
    const pgbench = pgbenchBinary();
    await run(pgbench, ['-i', '-q', name], { env });
    const { stdout } = await run(pgbench, ['-b', 'tpcb-like', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), name], { env });
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return Number(tps);
  } finally {
    await dropDatabase(name);
  }
}

async function main(): Promise<void> {
  process.stdout.write(`ledger: ${CLIENTS} clients, ${ACCOUNTS} accounts, ${WARM_UP_SECONDS} s warm-up, ${SECONDS} s measured\n`);
  const ledger = await benchLedger();
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  process.stdout.write(
    `ledger latency: p50 ${ms(percentile(ledger.latencies, 50))}, p99 ${ms(percentile(ledger.latencies, 99))}, max ${ms(ledger.latencies.at(-1) ?? NaN)} over ${ledger.transfers} transfers\n`,
  );
  process.stdout.write(`pgbench: tpcb-like, ${CLIENTS} clients, 2 threads, ${SECONDS} s\n`);
  const tps = await benchPgbench();
  process.stdout.write(
    `ledger: ${ledger.perSecond.toFixed(0)} transfers/s, pgbench tpcb-like: ${tps.toFixed(0)} tps, ratio ${(ledger.perSecond / tps).toFixed(2)}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`Ledger benchmark failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
