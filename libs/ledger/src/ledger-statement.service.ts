import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { decodeCursor, entityFields, type FieldsOf, keysetPage, TransactionRunner } from '@sharepool/database';
import { NotificationsService } from '@sharepool/notifications';
import { type Actor, InvalidInputError, NotFoundError, type Page, type PageRequest, requireMember, requireRole } from '@sharepool/kernel';
import { LedgerEntryEntity } from './ledger-entry.entity.js';
import { LedgerTransferEntity } from './ledger-transfer.entity.js';
import { LedgerService } from './ledger.service.js';

const ENTRY_FIELDS = entityFields(LedgerEntryEntity, ['id', 'seq', 'accountId', 'amount', 'balanceAfter', 'createdAt']);
/** What a statement line tells of the transfer behind it. */
const ENTRY_TRANSFER_FIELDS = entityFields(LedgerTransferEntity, ['kind', 'memo', 'postId', 'shareId']);

/** One line of a member's statement: a change to their balance (amount signed: credits in are positive). */
export type LedgerEntry = FieldsOf<typeof ENTRY_FIELDS> & FieldsOf<typeof ENTRY_TRANSFER_FIELDS>;

export interface DailyBalance {
  readonly day: Date;
  readonly balance: number;
}

const ENTRY_COLUMNS = `${ENTRY_FIELDS.sql('le')}, ${ENTRY_TRANSFER_FIELDS.sql('t')}`;
const ENTRY_FROM = `ledger_entries le JOIN ledger_transfers t ON t.id = le.transfer_id JOIN ledger_accounts a ON a.id = le.account_id AND a.kind = 'MEMBER'`;
const readEntry = (row: Record<string, unknown>): LedgerEntry => ({ ...ENTRY_FIELDS.read(row), ...ENTRY_TRANSFER_FIELDS.read(row) });

/** Largest single adjustment an admin can make, a guard against a slip of the keyboard. */
export const MAX_ADJUSTMENT = 1_000_000;

/** A member's ledger read like a bank statement, and admins' corrections to it. */
@Injectable()
export class LedgerStatementService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly audit: AuditLog,
    private readonly notifications: NotificationsService,
  ) {}

  /** The member's entries, newest first. */
  async statement(actor: Actor, page: PageRequest): Promise<Page<LedgerEntry>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['number']) : null;
    const rows = await this.transactions.query(
      `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE le.account_id = $1 AND ($2::bigint IS NULL OR le.seq < $2)
        ORDER BY le.seq DESC LIMIT $3`,
      [me.memberId, after?.[0] ?? null, page.first + 1],
    );
    return keysetPage(
      rows.map(readEntry),
      page,
      (e) => [e.seq],
      async () =>
        Number(
          (
            await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM ledger_entries WHERE account_id = $1`, [me.memberId])
          )[0]!.n,
        ),
    );
  }

  /** One entry of the actor's own statement, or null. */
  async ownEntry(actor: Actor, entryId: string): Promise<LedgerEntry | null> {
    if (actor.kind !== 'member') return null;
    const [row] = await this.transactions.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE le.id = $1 AND le.account_id = $2`, [
      entryId,
      actor.memberId,
    ]);
    return row ? readEntry(row) : null;
  }

  /** The member's balance at the end of each of the last `days` days, oldest first. */
  creditHistory(actor: Actor, days: number): Promise<DailyBalance[]> {
    const me = requireMember(actor, 'READ');
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new InvalidInputError('days', 'days is 1 to 366');
    return this.transactions.query<DailyBalance>(
      `WITH days AS (SELECT generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => $2 - 1),
                                            date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') AS d)
       SELECT d AT TIME ZONE 'UTC' AS day,
              coalesce((SELECT le.balance_after FROM ledger_entries le
                         WHERE le.account_id = $1 AND le.created_at < (d + interval '1 day') AT TIME ZONE 'UTC'
                         ORDER BY le.seq DESC LIMIT 1), 0)::int AS balance
         FROM days ORDER BY d`,
      [me.memberId, days],
    );
  }

  /**
   * ADMIN: adds to (positive) or takes from (negative) a member's balance, with
   * a reason kept in the audit trail. Taking more than they have is refused.
   */
  async adjust(actor: Actor, input: { memberId: string; amount: number; reason: string }): Promise<LedgerEntry> {
    const admin = requireRole(actor, 'ADMIN');
    const { memberId, amount } = input;
    if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_ADJUSTMENT) {
      throw new InvalidInputError('amount', `amount is a whole number of credits, not 0, at most ${MAX_ADJUSTMENT} either way`);
    }
    const reason = input.reason?.trim() ?? '';
    if (reason.length < 3 || reason.length > 500) throw new InvalidInputError('reason', 'A reason is 3 to 500 characters');
    return this.transactions.run(async (tx) => {
      // Every member has an account with their id from the moment they exist (MembersService.enrol).
      if (!(await this.ledger.hasMemberAccount(tx, memberId))) throw new NotFoundError('Member', { field: 'memberId' });
      const transfer = await this.ledger.transfer(tx, {
        id: randomUUID(),
        debit: amount > 0 ? { system: 'ADJUSTMENTS' } : { member: memberId },
        credit: amount > 0 ? { member: memberId } : { system: 'ADJUSTMENTS' },
        amount: Math.abs(amount),
        kind: 'ADJUSTMENT',
        memberId,
        memo: reason,
      });
      await this.audit.record(tx, admin, {
        action: 'CREDITS_ADJUSTED',
        targetType: 'Member',
        targetId: memberId,
        reason,
        details: { amount, transferId: transfer.id },
      });
      await this.notifications.add(tx, { memberId, kind: 'CREDITS_ADJUSTED', details: { amount, reason } });
      const [entry] = await tx.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE le.transfer_id = $1 AND le.account_id = $2`, [
        transfer.id,
        memberId,
      ]);
      return readEntry(entry!);
    });
  }
}
