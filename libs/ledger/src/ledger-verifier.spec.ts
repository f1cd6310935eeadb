import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, createTestEnvironment, TEST_SECRETS, type TestDatabase } from '@sharepool/testing';
import { SYSTEM_ACCOUNTS } from './ledger.types.js';
import { verifyLedger } from './ledger-verifier.js';

/*
 * Each rule the verifier checks, broken on purpose: inside a transaction that is
 * rolled back, with triggers (append-only, foreign keys) switched off for it
 * where the breakage needs that, so the ledger under test stays intact.
 */

const execFileAsync = promisify(execFile);
const alice = randomUUID();
const bob = randomUUID();
const post = randomUUID();
const grant = randomUUID();
const paid = randomUUID();
const held = randomUUID();
const settled = randomUUID();
const stillHeld = randomUUID();

/** A small ledger with every kind of movement, made through the ledger's SQL functions. */
async function fillLedger(sql: pg.Client): Promise<void> {
  const statements: Array<[string, unknown[]]> = [
    [
      `INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, 'MEMBER', $1), ($2, 'MEMBER', $2), ($3, 'ESCROW', $1)`,
      [alice, bob, post],
    ],
    [`SELECT ledger_transfer($1, $2, $3, 100, 'SIGNUP_GRANT', NULL, NULL, NULL, NULL)`, [grant, SYSTEM_ACCOUNTS.ISSUANCE, alice]],
    [`SELECT ledger_transfer($1, $2, $3, 60, 'CAMPAIGN_FUNDING', NULL, NULL, NULL, NULL)`, [paid, alice, post]],
    [`SELECT ledger_hold($1, $2, $3, 20, 'SHARE_REWARD', NULL, NULL, NULL, NULL)`, [held, post, bob]],
    [`SELECT ledger_resolve($1, $2, 'POST_PENDING', 15, NULL)`, [settled, held]],
    [`SELECT ledger_hold($1, $2, $3, 10, 'SHARE_REWARD', NULL, NULL, NULL, NULL)`, [stillHeld, post, bob]],
  ];
  for (const [text, values] of statements) await sql.query(text, values);
}

describe('the ledger verifier', () => {
  let db: TestDatabase;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await fillLedger(sql);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  /** The names of the checks that fail once `breakage` is done (then undone). */
  async function failingAfter(...breakage: string[]): Promise<string[]> {
    await sql.query('BEGIN');
    try {
      await sql.query(`SET LOCAL session_replication_role = replica`);
      for (const statement of breakage) await sql.query(statement);
      const report = await verifyLedger(sql);
      return report.checks.filter((c) => c.violations > 0).map((c) => c.name);
    } finally {
      await sql.query('ROLLBACK');
    }
  }

  it('finds nothing wrong with a ledger made by the ledger functions, and says what it looked at', async () => {
    const report = await verifyLedger(sql);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.violations])).toEqual([
      ['posted-balances', 0],
      ['pending-balances', 0],
      ['entries-balance', 0],
      ['transfer-entries', 0],
      ['balance-after', 0],
      ['never-negative', 0],
      ['resolutions', 0],
      ['guards', 0],
    ]);
    expect(report).toMatchObject({ accounts: 5, transfers: 5, entries: 6 });
  });

  it('finds a cached posted balance that is not the sum of its entries', async () => {
    expect(await failingAfter(`UPDATE ledger_accounts SET posted = posted + 1 WHERE id = '${bob}'`)).toEqual(['posted-balances']);
  });

  it('finds a pending_out that is not the sum of the open holds', async () => {
    expect(await failingAfter(`UPDATE ledger_accounts SET pending_out = 0 WHERE id = '${post}'`)).toEqual(['pending-balances']);
  });

  it('finds entries that do not sum to zero', async () => {
    const failing = await failingAfter(
      `INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after) VALUES ('${grant}', '${bob}', 5, 20)`,
      `UPDATE ledger_accounts SET posted = posted + 5 WHERE id = '${bob}'`,
    );
    expect(failing).toEqual(['entries-balance', 'transfer-entries']);
  });

  it('finds a posted transfer whose entries do not match it, and a pending one with entries', async () => {
    expect(await failingAfter(`UPDATE ledger_transfers SET amount = 61 WHERE id = '${paid}'`)).toEqual(['transfer-entries']);
    expect(await failingAfter(`UPDATE ledger_entries SET transfer_id = '${stillHeld}' WHERE transfer_id = '${settled}'`)).toEqual([
      'transfer-entries',
    ]);
  });

  it('finds a balance_after that is not the running sum', async () => {
    expect(
      await failingAfter(`UPDATE ledger_entries SET balance_after = balance_after + 1 WHERE transfer_id = '${paid}' AND amount > 0`),
    ).toEqual(['balance-after']);
  });

  it('finds a member below zero once the CHECK that prevents it is gone', async () => {
    const failing = await failingAfter(
      `ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_never_negative`,
      `UPDATE ledger_accounts SET pending_out = 41 WHERE id = '${alice}'`,
    );
    expect(failing).toEqual(['pending-balances', 'never-negative', 'guards']);
  });

  it('finds a settle of a transfer that was not pending, and a hold resolved twice', async () => {
    expect(
      await failingAfter(
        `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, pending_id)
         VALUES ('${randomUUID()}', '${alice}', '${post}', 0, 'CAMPAIGN_FUNDING', 'VOID_PENDING', '${paid}')`,
      ),
    ).toEqual(['resolutions']);
    expect(
      await failingAfter(
        `ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_resolved_once`,
        `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, pending_id)
         VALUES ('${randomUUID()}', '${post}', '${bob}', 0, 'SHARE_REWARD', 'VOID_PENDING', '${held}')`,
      ),
    ).toEqual(['resolutions']);
  });

  it('finds an append-only trigger switched off', async () => {
    expect(await failingAfter(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`)).toEqual(['guards']);
    expect(await failingAfter(`DROP TRIGGER ledger_transfers_append_only ON ledger_transfers`)).toEqual(['guards']);
  });

  it('fails the test suite when a test leaves the ledger inconsistent', async () => {
    const env = await createTestEnvironment();
    const broken = new pg.Client({ connectionString: env.db.url });
    await broken.connect();
    try {
      await broken.query(`INSERT INTO ledger_accounts (id, kind, owner_id, posted) VALUES ($1, 'MEMBER', $1, 7)`, [randomUUID()]);
    } finally {
      await broken.end();
    }
    await expect(env.cleanup()).rejects.toThrow(/left the ledger inconsistent[\s\S]*posted-balances/);
  });

  it('runs as `npm run ledger:verify`: exit 0 on a consistent ledger, 1 with the findings on a broken one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-verify-'));
    const cli = (url: string) =>
      execFileAsync(process.execPath, ['--import', './test/support/ts-loader.mjs', 'apps/cli/src/ledger-verify.ts'], {
        env: { ...process.env, ...TEST_SECRETS, DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      });
    const clean = await cli(db.url);
    expect(clean.stdout).toMatch(/5 accounts, 5 transfers, 6 entries[\s\S]*The ledger is consistent\./);

    const broken = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: broken.url });
      await client.connect();
      await client.query(`UPDATE ledger_accounts SET posted = 3 WHERE id = $1`, [SYSTEM_ACCOUNTS.ADJUSTMENTS]);
      await client.end();
      await expect(cli(broken.url)).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/FAIL .*\[posted-balances\]/) });
    } finally {
      await broken.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
