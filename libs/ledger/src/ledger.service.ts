import { Injectable } from '@nestjs/common';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, requireMember } from '@sharepool/kernel';
import { ledgerError } from './ledger.errors.js';
import {
  type AccountRef,
  accountId,
  type Balance,
  type ResolveCommand,
  type SettleCommand,
  type Transfer,
  type TransferCommand,
} from './ledger.types.js';
import type { TransferKind, TransferPhase } from './ledger-transfer.entity.js';

interface TransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  kind: TransferKind;
  phase: TransferPhase;
  pending_id: string | null;
  post_id: string | null;
  share_id: string | null;
  member_id: string | null;
  memo: string | null;
  created_at: Date;
}

const TRANSFER_COLUMNS = `t.id, t.debit_account_id, t.credit_account_id, t.amount, t.kind, t.phase, t.pending_id,
  t.post_id, t.share_id, t.member_id, t.memo, t.created_at`;

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
    const [row] = await this.transactions.query<{ available: number }>(
      `SELECT posted - pending_out AS available FROM ledger_accounts WHERE id = $1`,
      [member.memberId],
    );
    return row?.available ?? 0;
  }

  /** Opens a member's account (id = member id); opening it again does nothing. */
  async openMemberAccount(tx: Tx, memberId: string): Promise<void> {
    await tx.query(`INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, 'MEMBER', $1) ON CONFLICT (id) DO NOTHING`, [memberId]);
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
    const [row] = await tx.query<{ posted: number; pending: number }>(
      `SELECT posted, pending_out AS pending FROM ledger_accounts WHERE id = $1`,
      [accountId(account)],
    );
    const posted = row?.posted ?? 0;
    const pending = row?.pending ?? 0;
    return { posted, pending, available: posted - pending };
  }

  /** Available balances of many accounts in one query (0 for accounts that do not exist). */
  async availableBalances(tx: Tx, ids: readonly string[]): Promise<Map<string, number>> {
    const rows = await tx.query<{ id: string; available: number }>(
      `SELECT id, posted - pending_out AS available FROM ledger_accounts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r.available]));
    return new Map(ids.map((id) => [id, byId.get(id) ?? 0]));
  }

  async findTransfer(tx: Tx, id: string): Promise<Transfer | null> {
    const [row] = await tx.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.id = $1`, [id]);
    return row ? toTransfer(row) : null;
  }

  private async move(tx: Tx, fn: 'ledger_transfer' | 'ledger_hold', c: TransferCommand): Promise<Transfer> {
    assertId(c.id);
    assertAmount(c.amount, false);
    const debit = accountId(c.debit);
    const credit = accountId(c.credit);
    if (debit === credit) throw new InvalidInputError(undefined, 'A transfer needs two different accounts');
    try {
      const [row] = await tx.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ${fn}($1, $2, $3, $4, $5, $6, $7, $8, $9) t`, [
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
      return toTransfer(row!);
    } catch (error) {
      throw ledgerError(error, c.amount);
    }
  }

  private async resolve(tx: Tx, c: ResolveCommand, phase: 'POST_PENDING' | 'VOID_PENDING', amount: number | null): Promise<Transfer> {
    assertId(c.id);
    assertId(c.pendingId);
    try {
      const [row] = await tx.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ledger_resolve($1, $2, $3, $4, $5) t`, [
        c.id,
        c.pendingId,
        phase,
        amount,
        c.memo ?? null,
      ]);
      return toTransfer(row!);
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

function toTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: Number(row.amount),
    kind: row.kind,
    phase: row.phase,
    pendingId: row.pending_id,
    postId: row.post_id,
    shareId: row.share_id,
    memberId: row.member_id,
    memo: row.memo,
    createdAt: row.created_at,
  };
}
