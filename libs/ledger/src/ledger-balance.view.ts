import { ViewColumn, ViewEntity } from 'typeorm';

/**
 * What each account can spend now: its posted balance minus its holds. The
 * ledger's published read for other libs' queries (a post's budget is its
 * escrow's), so only the ledger knows how ledger_accounts is laid out. A
 * plain view: Postgres folds it into the query that reads it, which plans as
 * if it read ledger_accounts itself. Defined by migration 1764000800000;
 * TypeORM leaves it alone (synchronize: false) and the drift check compares
 * this definition with the database's.
 */
@ViewEntity({
  name: 'ledger_balances',
  synchronize: false,
  expression: `SELECT id AS account_id, posted - pending_out AS available FROM ledger_accounts`,
})
export class LedgerBalanceView {
  @ViewColumn()
  accountId: string;

  @ViewColumn()
  available: number;
}
