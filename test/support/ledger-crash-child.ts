import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, TransactionRunner } from '@sharepool/database';
import { InsufficientCreditsError } from '@sharepool/kernel';
import { type AccountRef, LedgerService, type Transfer } from '@sharepool/ledger';

/*
 * The process the ledger crash test kills: it moves credits through the real
 * LedgerService in a loop, from several connections at once, until SIGKILL.
 * Run with `node --import ./test/support/ts-loader.mjs`. Environment:
 * DATABASE_URL, LEDGER_CRASH_MEMBERS and LEDGER_CRASH_ESCROWS (comma-separated
 * account ids). Prints `ready` once started and waits for a `go` line on stdin
 * (so the test can start the next process while it kills this one), then prints
 * `committed <id>` after each transaction that committed (stdout to a pipe is
 * synchronous: a printed line was committed), and any unexpected error on stderr
 * before exiting with 1. Exits if stdin closes before `go`.
 */

const LOOPS = 4;

async function main(): Promise<void> {
  const members = (process.env.LEDGER_CRASH_MEMBERS ?? '').split(',').filter(Boolean);
  const escrows = (process.env.LEDGER_CRASH_ESCROWS ?? '').split(',').filter(Boolean);
  if (!process.env.DATABASE_URL || members.length < 2 || escrows.length < 1) {
    throw new Error('DATABASE_URL, LEDGER_CRASH_MEMBERS (2 or more) and LEDGER_CRASH_ESCROWS are required');
  }
  const dataSource = new DataSource(
    dataSourceOptions({ url: process.env.DATABASE_URL, poolSize: LOOPS, applicationName: 'ledger-crash-child' }),
  );
  await dataSource.initialize();
  const transactions = new TransactionRunner(dataSource);
  const ledger = new LedgerService(transactions);
  process.stdout.write('ready\n');
  await go();

  // Holds left open by a killed predecessor are settled or voided like this process's own.
  const open: Transfer[] = [];
  const leftOver = await transactions.query<{ id: string }>(
    `SELECT p.id FROM ledger_transfers p WHERE p.phase = 'PENDING' AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)`,
  );
  for (const { id } of leftOver) open.push((await transactions.run((tx) => ledger.findTransfer(tx, id)))!);

  const member = (): AccountRef => ({ member: members[randomInt(members.length)]! });
  const escrow = (): AccountRef => ({ escrow: escrows[randomInt(escrows.length)]! });
  const twoMembers = (): [AccountRef, AccountRef] => {
    const from = randomInt(members.length);
    const to = (from + 1 + randomInt(members.length - 1)) % members.length;
    return [{ member: members[from]! }, { member: members[to]! }];
  };
  const committed = (transfers: Transfer[]) => {
    for (const t of transfers) process.stdout.write(`committed ${t.id}\n`);
  };

  const loop = async () => {
    for (;;) {
      const roll = randomInt(100);
      try {
        if (roll < 30) {
          const [from, to] = twoMembers();
          committed([
            await transactions.run((tx) =>
              ledger.transfer(tx, { id: randomUUID(), debit: from, credit: to, amount: 1 + randomInt(40), kind: 'ADJUSTMENT' }),
            ),
          ]);
        } else if (roll < 45) {
          committed([
            await transactions.run((tx) =>
              ledger.transfer(tx, {
                id: randomUUID(),
                debit: member(),
                credit: escrow(),
                amount: 1 + randomInt(40),
                kind: 'CAMPAIGN_FUNDING',
              }),
            ),
          ]);
        } else if (roll < 65) {
          const hold = await transactions.run((tx) =>
            ledger.hold(tx, { id: randomUUID(), debit: escrow(), credit: member(), amount: 1 + randomInt(20), kind: 'SHARE_REWARD' }),
          );
          open.push(hold);
          committed([hold]);
        } else if (roll < 85 && open.length) {
          const hold = open.splice(randomInt(open.length), 1)[0]!;
          const id = randomUUID();
          const resolution = await transactions.run((tx) =>
            roll < 78
              ? ledger.settle(tx, { id, pendingId: hold.id, amount: randomInt(hold.amount + 1) })
              : ledger.void(tx, { id, pendingId: hold.id }),
          );
          committed([resolution]);
        } else {
          // A use case of several statements: a crash between them must leave nothing behind.
          const [from, to] = twoMembers();
          const target = escrow();
          const made = await transactions.run(async (tx) => {
            await ledger.lockAccounts(tx, [from, to, target]);
            const first = await ledger.transfer(tx, {
              id: randomUUID(),
              debit: from,
              credit: to,
              amount: 1 + randomInt(30),
              kind: 'ADJUSTMENT',
            });
            const second = await ledger.transfer(tx, {
              id: randomUUID(),
              debit: to,
              credit: target,
              amount: 1 + randomInt(30),
              kind: 'CAMPAIGN_FUNDING',
            });
            return [first, second];
          });
          committed(made);
        }
      } catch (error) {
        if (!(error instanceof InsufficientCreditsError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, loop));
}

function go(): Promise<void> {
  return new Promise((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.split('\n').includes('go')) resolve();
    });
    process.stdin.on('end', () => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`ledger crash child failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
