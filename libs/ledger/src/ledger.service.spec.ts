import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '@sharepool/database';
import { InsufficientCreditsError } from '@sharepool/kernel';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { PendingTransferResolvedError, TransferIdConflictError } from './ledger.errors.js';
import { LedgerService } from './ledger.service.js';

describe('the ledger', () => {
  let core: TestCore;
  let ledger: LedgerService;
  let run: TransactionRunner['run'];

  beforeAll(async () => {
    core = await startTestCore();
    ledger = core.get(LedgerService);
    const runner = core.get(TransactionRunner);
    run = runner.run.bind(runner);
  });
  afterAll(() => core.close());

  async function memberWith(credits: number): Promise<string> {
    const member = randomUUID();
    await run(async (tx) => {
      await ledger.openMemberAccount(tx, member);
      if (credits > 0) {
        await ledger.transfer(tx, {
          id: randomUUID(),
          debit: { system: 'ISSUANCE' },
          credit: { member },
          amount: credits,
          kind: 'SIGNUP_GRANT',
        });
      }
    });
    return member;
  }
  const available = (member: string) => run(async (tx) => (await ledger.balance(tx, { member })).available);

  it('moves credits between two accounts and records the balance after each entry', async () => {
    const alice = await memberWith(100);
    const bob = await memberWith(0);
    const transfer = await run((tx) =>
      ledger.transfer(tx, { id: randomUUID(), debit: { member: alice }, credit: { member: bob }, amount: 30, kind: 'ADJUSTMENT' }),
    );
    expect(transfer.phase).toBe('POSTED');
    expect(await available(alice)).toBe(70);
    expect(await available(bob)).toBe(30);
    const entries = await run((tx) =>
      tx.query(`SELECT account_id, amount, balance_after FROM ledger_entries WHERE transfer_id = $1 ORDER BY amount`, [transfer.id]),
    );
    expect(entries).toEqual([
      { account_id: alice, amount: -30, balance_after: 70 },
      { account_id: bob, amount: 30, balance_after: 30 },
    ]);
  });

  it('refuses to spend more than is available, saying how much is', async () => {
    const alice = await memberWith(10);
    const bob = await memberWith(0);
    const attempt = run((tx) =>
      ledger.transfer(tx, { id: randomUUID(), debit: { member: alice }, credit: { member: bob }, amount: 11, kind: 'ADJUSTMENT' }),
    );
    await expect(attempt).rejects.toEqual(new InsufficientCreditsError(10, 11));
    expect(await available(alice)).toBe(10);
  });

  it('returns the original transfer when the same id is sent again, and refuses it with other parameters', async () => {
    const alice = await memberWith(50);
    const bob = await memberWith(0);
    const command = { id: randomUUID(), debit: { member: alice }, credit: { member: bob }, amount: 5, kind: 'ADJUSTMENT' as const };
    const first = await run((tx) => ledger.transfer(tx, command));
    const again = await run((tx) => ledger.transfer(tx, command));
    expect(again).toEqual(first);
    expect(await available(alice)).toBe(45);
    await expect(run((tx) => ledger.transfer(tx, { ...command, amount: 6 }))).rejects.toBeInstanceOf(TransferIdConflictError);
  });

  it('counts a hold against the available balance at once and pays it out on settle', async () => {
    const escrowOwner = await memberWith(100);
    const post = randomUUID();
    const sharer = await memberWith(0);
    const hold = { id: randomUUID(), debit: { escrow: post }, credit: { member: sharer }, amount: 10, kind: 'SHARE_REWARD' as const };
    await run(async (tx) => {
      await ledger.openEscrowAccount(tx, post, escrowOwner);
      await ledger.transfer(tx, {
        id: randomUUID(),
        debit: { member: escrowOwner },
        credit: { escrow: post },
        amount: 25,
        kind: 'CAMPAIGN_FUNDING',
      });
      await ledger.hold(tx, hold);
    });
    expect(await run(async (tx) => ledger.balance(tx, { escrow: post }))).toEqual({ posted: 25, pending: 10, available: 15 });
    await run((tx) => ledger.settle(tx, { id: randomUUID(), pendingId: hold.id }));
    expect(await run(async (tx) => ledger.balance(tx, { escrow: post }))).toEqual({ posted: 15, pending: 0, available: 15 });
    expect(await available(sharer)).toBe(10);
  });

  it('resolves a hold only once: a second settle or a void after settle is refused', async () => {
    const owner = await memberWith(100);
    const post = randomUUID();
    const sharer = await memberWith(0);
    const holdId = randomUUID();
    await run(async (tx) => {
      await ledger.openEscrowAccount(tx, post, owner);
      await ledger.transfer(tx, {
        id: randomUUID(),
        debit: { member: owner },
        credit: { escrow: post },
        amount: 10,
        kind: 'CAMPAIGN_FUNDING',
      });
      await ledger.hold(tx, { id: holdId, debit: { escrow: post }, credit: { member: sharer }, amount: 10, kind: 'SHARE_REWARD' });
    });
    await run((tx) => ledger.void(tx, { id: randomUUID(), pendingId: holdId }));
    await expect(run((tx) => ledger.settle(tx, { id: randomUUID(), pendingId: holdId }))).rejects.toBeInstanceOf(
      PendingTransferResolvedError,
    );
    await expect(run((tx) => ledger.void(tx, { id: randomUUID(), pendingId: holdId }))).rejects.toBeInstanceOf(
      PendingTransferResolvedError,
    );
    expect(await run(async (tx) => ledger.balance(tx, { escrow: post }))).toEqual({ posted: 10, pending: 0, available: 10 });
    expect(await available(sharer)).toBe(0);
  });

  it('never lets anyone update or delete a transfer or an entry', async () => {
    await memberWith(5);
    await expect(run((tx) => tx.query(`UPDATE ledger_entries SET amount = amount + 1`))).rejects.toThrow(/append-only/);
    await expect(run((tx) => tx.query(`DELETE FROM ledger_transfers`))).rejects.toThrow(/append-only/);
  });

  it('holds the database to never letting a member account go below zero', async () => {
    const alice = await memberWith(3);
    await expect(run((tx) => tx.query(`UPDATE ledger_accounts SET posted = -1 WHERE id = $1`, [alice]))).rejects.toThrow(
      /ledger_accounts_never_negative/,
    );
  });
});
