import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { TransactionRunner } from '@sharepool/database';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { LedgerService } from './ledger.service.js';
import { formatLedgerVerification, verifyLedger } from './ledger-verifier.js';

const KILLS = 20;
const CHILD = ['--import', './test/support/ts-loader.mjs', 'test/support/ledger-crash-child.ts'];

/** The child's output so far, line by line, and a way to wait for a line. */
function watch(child: ChildProcess): { lines: string[]; errors: string[]; until(predicate: () => boolean): Promise<void> } {
  const lines: string[] = [];
  const errors: string[] = [];
  let partial = '';
  let wake = () => {};
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!; // a line cut by the kill is not a line
    lines.push(...parts);
    wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    errors.push(chunk.toString());
    wake();
  });
  child.on('close', () => wake());
  return {
    lines,
    errors,
    async until(predicate) {
      while (!predicate()) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the child exited early:\n${errors.join('')}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

describe('the ledger when the process moving credits is killed', () => {
  let core: TestCore;
  let run: TransactionRunner['run'];
  const members: string[] = [];
  const escrows: string[] = [];

  beforeAll(async () => {
    core = await startTestCore();
    const ledger = core.get(LedgerService);
    const runner = core.get(TransactionRunner);
    run = runner.run.bind(runner);
    members.push(...Array.from({ length: 4 }, () => randomUUID()));
    escrows.push(randomUUID(), randomUUID());
    await run(async (tx) => {
      for (const member of members) {
        await ledger.openMemberAccount(tx, member);
        await ledger.transfer(tx, {
          id: randomUUID(),
          debit: { system: 'ISSUANCE' },
          credit: { member },
          amount: 5_000,
          kind: 'SIGNUP_GRANT',
        });
      }
      for (const post of escrows) await ledger.openEscrowAccount(tx, post, members[0]!);
    });
  });
  afterAll(() => core?.close());

  it('stays consistent, and keeps every transfer it acknowledged, after each of 20 SIGKILLs at random moments', async () => {
    // Two children start up ahead while one runs: starting Node takes longer than a run.
    const warm = [spawnChild(), spawnChild()];
    const acknowledged: string[] = [];
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        const child = warm.shift()!;
        if (kill + warm.length < KILLS) warm.push(spawnChild());
        await child.output.until(() => child.output.lines.includes('ready'));
        child.process.stdin!.write('go\n');
        try {
          // Killed after its first commit, at a random moment in what follows.
          await child.output.until(() => child.output.lines.some((line) => line.startsWith('committed ')));
          await new Promise((resolve) => setTimeout(resolve, randomInt(250)));
        } finally {
          child.process.kill('SIGKILL');
          await child.exited;
        }
        expect(child.output.errors.join('')).toBe('');
        acknowledged.push(
          ...child.output.lines.filter((line) => line.startsWith('committed ')).map((line) => line.slice('committed '.length)),
        );

        const report = await run((tx) => verifyLedger(tx));
        if (!report.ok) throw new Error(`after kill ${kill}:\n${formatLedgerVerification(report)}`);
        const [{ missing }] = await run((tx) =>
          tx.query<{ missing: number }>(
            `SELECT count(*)::int AS missing FROM unnest($1::uuid[]) a(id) WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = a.id)`,
            [acknowledged],
          ),
        );
        expect({ kill, missing }).toEqual({ kill, missing: 0 });
      }
    } finally {
      for (const child of warm) child.process.kill('SIGKILL');
      await Promise.all(warm.map((child) => child.exited));
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILLS);
  }, 600_000);

  function spawnChild() {
    const child = spawn(process.execPath, CHILD, {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DATABASE_URL: core.env.db.url,
        LEDGER_CRASH_MEMBERS: members.join(','),
        LEDGER_CRASH_ESCROWS: escrows.join(','),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { process: child, output: watch(child), exited: new Promise((resolve) => child.on('close', resolve)) };
  }
});
