import { Injectable } from '@nestjs/common';
import { entityFields, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, requireMember } from '@sharepool/kernel';
import { LedgerAccountEntity } from './ledger-account.entity.js';
import { LedgerBalanceView } from './ledger-balance.view.js';
import { ledgerError } from './ledger.errors.js';
import { type AccountRef, accountId, type Balance, type ResolveCommand, type SettleCommand, type TransferCommand } from './ledger.types.js';
import { type Transfer, TRANSFER_FIELDS } from './ledger.fields.js';

const BALANCE = entityFields(LedgerBalanceView, ['accountId', 'available']);
const CACHED_BALANCES = entityFields(LedgerAccountEntity, ['posted', 'pendingOut']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way credits move. Every method runs inside the caller's transaction
 * (one use case, one transaction) and is idempotent on the transfer id. The
 * database enforces the invariants: no account but a system one below zero
 * counting holds, every posted transfer balanced by its two entries, transfers
 * and entries never changed, each pending transfer resolved at most once.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly transactions: TransactionRunner) {}

  /** The acting member's spendable credits. */
  async availableCredits(actor: Actor): Promise<number> {
    const member = requireMember(actor, 'READ');
    const [row] = await this.transactions.query(`SELECT ${BALANCE.sql('b')} FROM ledger_balances b WHERE b.account_id = $1`, [
      member.memberId,
    ]);
    return row ? BALANCE.read(row).available : 0;
  }

  /** Opens a member's account (id = member id); opening it again does nothing. */
  async openMemberAccount(tx: Tx, memberId: string): Promise<void> {
    await tx.query(`INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, 'MEMBER', $1) ON CONFLICT (id) DO NOTHING`, [memberId]);
  }

  /** Whether a member's account exists (it does from the moment the member does). */
  async hasMemberAccount(tx: Tx, memberId: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT 1 FROM ledger_accounts WHERE id = $1 AND kind = 'MEMBER'`, [memberId]);
    return row !== undefined;
  }

  /** Opens a post's escrow (id = post id), owned by its author. */
  async openEscrowAccount(tx: Tx, postId: string, authorId: string): Promise<void> {
    await tx.query(`INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, 'ESCROW', $2) ON CONFLICT (id) DO NOTHING`, [
      postId,
      authorId,
    ]);
  }

  /**
   * Locks accounts in id order before a use case that makes several movements.
   * Each movement locks its own two accounts in order, but two use cases making
   * their movements in opposite orders would deadlock without this.
   */
  async lockAccounts(tx: Tx, accounts: readonly AccountRef[]): Promise<void> {
    await tx.query(`SELECT 1 FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [accounts.map(accountId)]);
  }

  /** Moves `amount` at once. Not enough available → InsufficientCreditsError. */
  transfer(tx: Tx, command: TransferCommand): Promise<Transfer> {
    return this.move(tx, 'ledger_transfer', command);
  }

  /** Reserves `amount` on the debit account until `settle` or `void`. */
  hold(tx: Tx, command: TransferCommand): Promise<Transfer> {
    return this.move(tx, 'ledger_hold', command);
  }

  /** Posts a held transfer, for its amount or less (the rest goes back to the debit account). */
  settle(tx: Tx, command: SettleCommand): Promise<Transfer> {
    if (command.amount !== undefined) assertAmount(command.amount, true);
    return this.resolve(tx, command, 'POST_PENDING', command.amount ?? null);
  }

  /** Releases a held transfer: the credits stay on the debit account. */
  void(tx: Tx, command: ResolveCommand): Promise<Transfer> {
    return this.resolve(tx, command, 'VOID_PENDING', 0);
  }

  async balance(tx: Tx, account: AccountRef): Promise<Balance> {
    const [row] = await tx.query(`SELECT ${CACHED_BALANCES.sql('a')} FROM ledger_accounts a WHERE a.id = $1`, [accountId(account)]);
    const { posted, pendingOut } = row ? CACHED_BALANCES.read(row) : { posted: 0, pendingOut: 0 };
    return { posted, pending: pendingOut, available: posted - pendingOut };
  }

  /** Available balances of many accounts in one query (0 for accounts that do not exist). */
  async availableBalances(tx: Tx, ids: readonly string[]): Promise<Map<string, number>> {
    const rows = (await tx.query(`SELECT ${BALANCE.sql('b')} FROM ledger_balances b WHERE b.account_id = ANY($1::uuid[])`, [ids])).map(
      (row) => BALANCE.read(row),
    );
    const byId = new Map(rows.map((r) => [r.accountId, r.available]));
    return new Map(ids.map((id) => [id, byId.get(id) ?? 0]));
  }

  async findTransfer(tx: Tx, id: string): Promise<Transfer | null> {
    const [row] = await tx.query(`SELECT ${TRANSFER_FIELDS.sql('t')} FROM ledger_transfers t WHERE t.id = $1`, [id]);
    return row ? TRANSFER_FIELDS.read(row) : null;
  }

  private async move(tx: Tx, fn: 'ledger_transfer' | 'ledger_hold', c: TransferCommand): Promise<Transfer> {
    assertId(c.id);
    assertAmount(c.amount, false);
    const debit = accountId(c.debit);
    const credit = accountId(c.credit);
    if (debit === credit) throw new InvalidInputError(undefined, 'A transfer needs two different accounts');
    try {
      const [row] = await tx.query(`SELECT ${TRANSFER_FIELDS.sql('t')} FROM ${fn}($1, $2, $3, $4, $5, $6, $7, $8, $9) t`, [
        c.id,
        debit,
        credit,
        c.amount,
        c.kind,
        c.postId ?? null,
        c.shareId ?? null,
        c.memberId ?? null,
        c.memo ?? null,
      ]);
      return TRANSFER_FIELDS.read(row!);
    } catch (error) {
      throw ledgerError(error, c.amount);
    }
  }

  private async resolve(tx: Tx, c: ResolveCommand, phase: 'POST_PENDING' | 'VOID_PENDING', amount: number | null): Promise<Transfer> {
    assertId(c.id);
    assertId(c.pendingId);
    try {
      const [row] = await tx.query(`SELECT ${TRANSFER_FIELDS.sql('t')} FROM ledger_resolve($1, $2, $3, $4, $5) t`, [
        c.id,
        c.pendingId,
        phase,
        amount,
        c.memo ?? null,
      ]);
      return TRANSFER_FIELDS.read(row!);
    } catch (error) {
      throw ledgerError(error);
    }
  }
}

function assertAmount(amount: number, zeroAllowed: boolean): void {
  if (!Number.isSafeInteger(amount) || amount < (zeroAllowed ? 0 : 1)) {
    throw new InvalidInputError('amount', `amount must be a whole number of credits${zeroAllowed ? '' : ' above zero'}`);
  }
}

function assertId(id: string): void {
  if (!UUID.test(id)) throw new InvalidInputError(undefined, `Transfer ids are UUIDs (got "${id}")`);
}
