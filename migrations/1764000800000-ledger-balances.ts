import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's published read of balances (LedgerBalanceView): what each
 * account can spend now. Other libs read budgets through it instead of
 * ledger_accounts, so only the ledger knows that table's layout.
 */
export class LedgerBalances1764000800000 implements MigrationInterface {
  name = 'LedgerBalances1764000800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE VIEW ledger_balances AS SELECT id AS account_id, posted - pending_out AS available FROM ledger_accounts`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW ledger_balances`);
  }
}
