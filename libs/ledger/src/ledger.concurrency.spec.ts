import { randomUUID } from 'node:crypto';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { InsufficientCreditsError } from '@sharepool/kernel';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { PendingTransferResolvedError, TransferIdConflictError } from './ledger.errors.js';
import { LedgerService } from './ledger.service.js';
import { type AccountRef, accountId, SYSTEM_ACCOUNTS, type Transfer, type TransferCommand } from './ledger.types.js';
import { formatLedgerVerification, verifyLedger } from './ledger-verifier.js';

const CLIENTS = 16;
const OPERATIONS_PER_CLIENT = 1_000;

/** A small seeded generator, so that a failing mix can be told apart by its seed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * below);
  };
}

describe('the ledger under concurrent use', () => {
  let core: TestCore;
  let ledger: LedgerService;
  let run: TransactionRunner['run'];

  beforeAll(async () => {
    // The core's pool has 20 connections: every client below gets one of its own.
    core = await startTestCore();
    ledger = core.get(LedgerService);
    const runner = core.get(TransactionRunner);
    run = runner.run.bind(runner);
  });
  afterAll(() => core?.close());

  async function postedAndPending(ids: readonly string[]): Promise<Map<string, { posted: number; pending: number }>> {
    const rows = await run((tx) =>
      tx.query<{ id: string; posted: number; pending: number }>(
        `SELECT id, posted, pending_out AS pending FROM ledger_accounts WHERE id = ANY($1::uuid[])`,
        [ids],
      ),
    );
    return new Map(rows.map((r) => [r.id, { posted: r.posted, pending: r.pending }]));
  }

  async function expectConsistentLedger(): Promise<void> {
    const report = await run((tx) => verifyLedger(tx));
    if (!report.ok) throw new Error(formatLedgerVerification(report));
  }

  async function openMembers(count: number, credits: number): Promise<string[]> {
    const members = Array.from({ length: count }, () => randomUUID());
    await run(async (tx) => {
      for (const member of members) {
        await ledger.openMemberAccount(tx, member);
        if (credits) {
          await ledger.transfer(tx, {
            id: randomUUID(),
            debit: { system: 'ISSUANCE' },
            credit: { member },
            amount: credits,
            kind: 'SIGNUP_GRANT',
          });
        }
      }
    });
    return members;
  }

  it('loses no update and lets only InsufficientCredits reach a caller: 16 clients × 1,000 mixed operations on hot accounts', async () => {
    const members = await openMembers(4, 500);
    const escrows = [randomUUID(), randomUUID()];
    await run(async (tx) => {
      for (const post of escrows) await ledger.openEscrowAccount(tx, post, members[0]!);
    });
    const system = [SYSTEM_ACCOUNTS.ISSUANCE, SYSTEM_ACCOUNTS.ADJUSTMENTS];
    const ids = [...members, ...escrows, ...system];
    const before = await postedAndPending(ids);

    // What the callers were told happened, per account: the database must agree exactly.
    const posted = new Map(ids.map((id) => [id, 0]));
    const pending = new Map(ids.map((id) => [id, 0]));
    const moved = (t: Transfer) => {
      if (t.phase === 'PENDING') return pending.set(t.debitAccountId, pending.get(t.debitAccountId)! + t.amount);
      posted.set(t.debitAccountId, posted.get(t.debitAccountId)! - t.amount);
      posted.set(t.creditAccountId, posted.get(t.creditAccountId)! + t.amount);
    };
    const settled = (hold: Transfer, t: Transfer) => {
      pending.set(hold.debitAccountId, pending.get(hold.debitAccountId)! - hold.amount);
      moved(t);
    };

    const unexpected: unknown[] = [];
    let refused = 0;
    let succeeded = 0;
    const seed = Date.now();

    async function client(index: number): Promise<void> {
      const next = random(seed + index);
      const member = (): AccountRef => ({ member: members[next(members.length)]! });
      const escrow = (): AccountRef => ({ escrow: escrows[next(escrows.length)]! });
      const openHolds: Transfer[] = [];
      const done: TransferCommand[] = [];
      const command = (debit: AccountRef, credit: AccountRef, amount: number, kind: TransferCommand['kind']): TransferCommand => ({
        id: randomUUID(),
        debit,
        credit,
        amount,
        kind,
      });
      const distinct = (debit: AccountRef, pickCredit: () => AccountRef): AccountRef => {
        for (;;) {
          const credit = pickCredit();
          if (accountId(credit) !== accountId(debit)) return credit;
        }
      };

      for (let i = 0; i < OPERATIONS_PER_CLIENT; i++) {
        const roll = next(100);
        try {
          if (roll < 8) {
            const t = await run((tx) => ledger.transfer(tx, command({ system: 'ISSUANCE' }, member(), 1 + next(20), 'SIGNUP_GRANT')));
            moved(t);
          } else if (roll < 28) {
            const from = member();
            const c = command(from, distinct(from, member), 1 + next(60), 'ADJUSTMENT');
            moved(await run((tx) => ledger.transfer(tx, c)));
            done.push(c);
          } else if (roll < 40) {
            const c = command(member(), escrow(), 1 + next(60), 'CAMPAIGN_FUNDING');
            moved(await run((tx) => ledger.transfer(tx, c)));
            done.push(c);
          } else if (roll < 46) {
            moved(await run((tx) => ledger.transfer(tx, command(escrow(), member(), 1 + next(40), 'CAMPAIGN_REFUND'))));
          } else if (roll < 62) {
            const hold = await run((tx) => ledger.hold(tx, command(escrow(), member(), 1 + next(30), 'SHARE_REWARD')));
            moved(hold);
            openHolds.push(hold);
          } else if (roll < 76 && openHolds.length) {
            const hold = openHolds.splice(next(openHolds.length), 1)[0]!;
            const amount = next(3) === 0 ? next(hold.amount + 1) : undefined;
            settled(hold, await run((tx) => ledger.settle(tx, { id: randomUUID(), pendingId: hold.id, amount })));
          } else if (roll < 84 && openHolds.length) {
            const hold = openHolds.splice(next(openHolds.length), 1)[0]!;
            settled(hold, await run((tx) => ledger.void(tx, { id: randomUUID(), pendingId: hold.id })));
          } else if (roll < 92) {
            // One use case, two movements: a member funds both escrows (accounts locked up front, in order).
            const from = member();
            const first = command(from, { escrow: escrows[0]! }, 1 + next(30), 'CAMPAIGN_FUNDING');
            const second = command(from, { escrow: escrows[1]! }, 1 + next(30), 'CAMPAIGN_FUNDING');
            const both = await run(async (tx: Tx) => {
              await ledger.lockAccounts(tx, [from, first.credit, second.credit]);
              return [await ledger.transfer(tx, first), await ledger.transfer(tx, second)];
            });
            both.forEach(moved);
          } else if (done.length) {
            // A retried request: the same transfer id again moves nothing.
            const again = done[next(done.length)]!;
            await run((tx) => ledger.transfer(tx, again));
          } else {
            i--;
            continue;
          }
          succeeded++;
        } catch (error) {
          if (error instanceof InsufficientCreditsError) refused++;
          else unexpected.push(error);
        }
      }
      // Whatever is still held is released, so the balances end settled.
      for (const hold of openHolds) settled(hold, await run((tx) => ledger.void(tx, { id: randomUUID(), pendingId: hold.id })));
    }

    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));

    expect({ seed, unexpected }).toEqual({ seed, unexpected: [] });
    expect(succeeded + refused).toBe(CLIENTS * OPERATIONS_PER_CLIENT);
    const after = await postedAndPending(ids);
    for (const id of ids) {
      expect({ id, ...after.get(id) }).toEqual({ id, posted: before.get(id)!.posted + posted.get(id)!, pending: 0 });
    }
    for (const id of [...members, ...escrows]) expect(after.get(id)!.posted).toBeGreaterThanOrEqual(0);
    const total = [...after.values()].reduce((sum, b) => sum + b.posted, 0);
    expect(total).toBe([...before.values()].reduce((sum, b) => sum + b.posted, 0));
    await expectConsistentLedger();
  }, 600_000);

  it('makes one transfer out of the same transfer id sent 100 times at once', async () => {
    const [alice, bob] = await openMembers(2, 1_000);
    const command: TransferCommand = {
      id: randomUUID(),
      debit: { member: alice! },
      credit: { member: bob! },
      amount: 7,
      kind: 'ADJUSTMENT',
    };

    const answers = await Promise.all(Array.from({ length: 100 }, () => run((tx) => ledger.transfer(tx, command))));

    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const balances = await postedAndPending([alice!, bob!]);
    expect(balances.get(alice!)!.posted).toBe(993);
    expect(balances.get(bob!)!.posted).toBe(1_007);
    const [entries] = await run((tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE transfer_id = $1`, [command.id]),
    );
    expect(entries!.n).toBe(2);
    await expectConsistentLedger();
  }, 120_000);

  it('answers a transfer id raced with different parameters with the one transfer made or a conflict, never anything else', async () => {
    // Disjoint accounts: no account lock puts the two kinds of request in line.
    const [alice, bob, carol, dave] = await openMembers(4, 1_000);
    const id = randomUUID();
    const between = (from: string, to: string): TransferCommand => ({
      id,
      debit: { member: from },
      credit: { member: to },
      amount: 5,
      kind: 'ADJUSTMENT',
    });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => run((tx) => ledger.transfer(tx, i % 2 ? between(alice!, bob!) : between(carol!, dave!)))),
    );

    const made = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<Transfer>).value);
    const winner = made[0]!;
    expect(made.every((t) => JSON.stringify(t) === JSON.stringify(winner))).toBe(true);
    const refusals = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(refusals.filter((e) => !(e instanceof TransferIdConflictError))).toEqual([]);
    expect(made).toHaveLength(50);
    const balances = await postedAndPending([alice!, bob!, carol!, dave!]);
    expect([...balances.values()].map((b) => b.posted).sort((a, b) => a - b)).toEqual([995, 1_000, 1_000, 1_005]);
    expect(balances.get(winner.debitAccountId)!.posted).toBe(995);
    await expectConsistentLedger();
  }, 120_000);

  it('settles a hold once when 100 settles race for it, the same settle id sent again returning that one settle', async () => {
    const [owner, sharer] = await openMembers(2, 100);
    const post = randomUUID();
    const holdId = randomUUID();
    await run(async (tx) => {
      await ledger.openEscrowAccount(tx, post, owner!);
      await ledger.transfer(tx, {
        id: randomUUID(),
        debit: { member: owner! },
        credit: { escrow: post },
        amount: 50,
        kind: 'CAMPAIGN_FUNDING',
      });
      await ledger.hold(tx, { id: holdId, debit: { escrow: post }, credit: { member: sharer! }, amount: 20, kind: 'SHARE_REWARD' });
    });
    const settleId = randomUUID();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => run((tx) => ledger.settle(tx, { id: i < 50 ? settleId : randomUUID(), pendingId: holdId }))),
    );

    const made = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<Transfer>).value);
    expect(new Set(made.map((t) => t.id)).size).toBe(1);
    const refusals = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(refusals.filter((e) => !(e instanceof PendingTransferResolvedError))).toEqual([]);
    const balances = await postedAndPending([post, sharer!]);
    expect(balances.get(post)).toEqual({ posted: 30, pending: 0 });
    expect(balances.get(sharer!)!.posted).toBe(120);
    await expectConsistentLedger();
  }, 120_000);
});
