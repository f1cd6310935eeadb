/**
 * Recomputes the ledger from its entries and checks every invariant, in one SQL
 * statement: one snapshot (a live ledger cannot look inconsistent half-way
 * through) and set-based work, so it stays fast on large ledgers.
 */

/** Anything that runs SQL: a pg client or pool, a TypeORM DataSource, a Tx. */
export interface LedgerSql {
  query(sql: string): Promise<unknown>;
}

export interface LedgerCheck {
  readonly name: string;
  /** The rule, in words. */
  readonly rule: string;
  /** How many rows break it (0 when it holds). */
  readonly violations: number;
  /** A few of those rows, to start the investigation. */
  readonly samples: readonly Record<string, unknown>[];
}

export interface LedgerVerification {
  readonly ok: boolean;
  readonly accounts: number;
  readonly transfers: number;
  readonly entries: number;
  readonly checks: readonly LedgerCheck[];
  readonly elapsedMs: number;
}

interface CheckDefinition {
  readonly name: string;
  readonly rule: string;
  /** Selects the rows that break the rule. */
  readonly violations: string;
}

const SAMPLES = 5;

const CHECKS: readonly CheckDefinition[] = [
  {
    name: 'posted-balances',
    rule: "every account's posted balance is the sum of its entries",
    violations: `
      SELECT a.id AS account_id, a.posted, coalesce(e.total, 0) AS entries_total
      FROM ledger_accounts a
      LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e ON e.account_id = a.id
      WHERE a.posted <> coalesce(e.total, 0)`,
  },
  {
    name: 'pending-balances',
    rule: "every account's pending_out is the sum of its unresolved PENDING transfers",
    violations: `
      SELECT a.id AS account_id, a.pending_out, coalesce(h.total, 0) AS open_holds
      FROM ledger_accounts a
      LEFT JOIN (
        SELECT p.debit_account_id AS account_id, sum(p.amount) AS total
        FROM ledger_transfers p
        WHERE p.phase = 'PENDING' AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)
        GROUP BY p.debit_account_id
      ) h ON h.account_id = a.id
      WHERE a.pending_out <> coalesce(h.total, 0)`,
  },
  {
    name: 'entries-balance',
    rule: 'all entries sum to zero (Σ debits = Σ credits)',
    violations: `SELECT sum(amount) AS total FROM ledger_entries HAVING coalesce(sum(amount), 0) <> 0`,
  },
  {
    name: 'transfer-entries',
    rule: 'each posted transfer (POSTED, POST_PENDING above 0) has exactly its two entries, −amount on debit and +amount on credit; no other transfer has any',
    violations: `
      SELECT t.id AS transfer_id, t.phase, t.amount, coalesce(e.n, 0) AS entries
      FROM ledger_transfers t
      LEFT JOIN (
        SELECT e.transfer_id, count(*) AS n,
               count(*) FILTER (WHERE e.account_id = t.debit_account_id AND e.amount = -t.amount) AS debits,
               count(*) FILTER (WHERE e.account_id = t.credit_account_id AND e.amount = t.amount) AS credits
        FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
        GROUP BY e.transfer_id
      ) e ON e.transfer_id = t.id
      WHERE CASE WHEN t.phase IN ('POSTED', 'POST_PENDING') AND t.amount > 0
                 THEN NOT (coalesce(e.n, 0) = 2 AND e.debits = 1 AND e.credits = 1)
                 ELSE e.n IS NOT NULL END`,
  },
  {
    name: 'balance-after',
    rule: "each entry's balance_after is the running sum of its account's entries in seq order",
    violations: `
      SELECT account_id, seq, amount, balance_after, running_total
      FROM (SELECT account_id, seq, amount, balance_after,
                   sum(amount) OVER (PARTITION BY account_id ORDER BY seq) AS running_total
            FROM ledger_entries) e
      WHERE balance_after <> running_total`,
  },
  {
    name: 'never-negative',
    rule: 'no member or escrow account is below zero counting pending holds, and no pending_out is negative',
    violations: `
      SELECT id AS account_id, kind, posted, pending_out FROM ledger_accounts
      WHERE pending_out < 0 OR (kind <> 'SYSTEM' AND posted - pending_out < 0)`,
  },
  {
    name: 'resolutions',
    rule: 'every settle or void resolves one PENDING transfer, once, between the same accounts, for at most its amount (a void for 0)',
    violations: `
      SELECT r.id AS transfer_id, r.phase, r.pending_id, p.phase AS pending_phase, r.amount, p.amount AS pending_amount
      FROM ledger_transfers r LEFT JOIN ledger_transfers p ON p.id = r.pending_id
      WHERE (r.pending_id IS NOT NULL OR r.phase IN ('POST_PENDING', 'VOID_PENDING'))
        AND (p.id IS NULL OR p.phase <> 'PENDING' OR r.phase NOT IN ('POST_PENDING', 'VOID_PENDING')
             OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id
             OR r.kind <> p.kind OR r.amount > p.amount OR (r.phase = 'VOID_PENDING' AND r.amount <> 0)
             OR EXISTS (SELECT 1 FROM ledger_transfers o WHERE o.pending_id = r.pending_id AND o.id <> r.id))`,
  },
  {
    name: 'guards',
    rule: 'the database still enforces the rules: append-only triggers on transfers and entries, the CHECKs on cached balances',
    // tgtype bits: 2 BEFORE, 8 DELETE, 16 UPDATE, 32 TRUNCATE; 'O'/'A' are the enabled states.
    violations: `
      SELECT t.name AS guard, 'UPDATE, DELETE and TRUNCATE are not all refused by an enabled trigger' AS problem
      FROM (VALUES ('ledger_transfers'), ('ledger_entries')) t(name)
      WHERE coalesce((SELECT bit_or(tg.tgtype::int) & 56 FROM pg_trigger tg JOIN pg_proc f ON f.oid = tg.tgfoid
                      WHERE tg.tgrelid = to_regclass(t.name) AND f.proname = 'forbid_change'
                        AND tg.tgenabled IN ('O', 'A') AND tg.tgtype::int & 2 = 2), 0) <> 56
      UNION ALL
      SELECT c.name, 'CHECK constraint missing or not validated'
      FROM (VALUES ('ledger_accounts_never_negative'), ('ledger_accounts_pending_out_check')) c(name)
      WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.conrelid = to_regclass('ledger_accounts') AND k.conname = c.name AND k.contype = 'c' AND k.convalidated)`,
  },
];

const STATEMENT = `SELECT jsonb_build_object(
  'accounts', (SELECT count(*) FROM ledger_accounts),
  'transfers', (SELECT count(*) FROM ledger_transfers),
  'entries', (SELECT count(*) FROM ledger_entries),
  'checks', jsonb_build_array(${CHECKS.map(
    (check) => `
    (SELECT jsonb_build_object('violations', coalesce(max(total), 0), 'samples', coalesce(jsonb_agg(sample), '[]'::jsonb))
     FROM (SELECT count(*) OVER () AS total, to_jsonb(v) AS sample FROM (${check.violations}) v LIMIT ${SAMPLES}) s)`,
  ).join(',')})
) AS report`;

interface RawReport {
  accounts: number;
  transfers: number;
  entries: number;
  checks: Array<{ violations: number; samples: Record<string, unknown>[] }>;
}

/** Checks the whole ledger; `ok` is false when any rule is broken. */
export async function verifyLedger(sql: LedgerSql): Promise<LedgerVerification> {
  const started = performance.now();
  const result = await sql.query(STATEMENT);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ report: RawReport | string }>;
  const raw = typeof rows[0]!.report === 'string' ? (JSON.parse(rows[0]!.report) as RawReport) : rows[0]!.report;
  const checks = CHECKS.map((check, i) => ({
    name: check.name,
    rule: check.rule,
    violations: Number(raw.checks[i]!.violations),
    samples: raw.checks[i]!.samples,
  }));
  return {
    ok: checks.every((c) => c.violations === 0),
    accounts: Number(raw.accounts),
    transfers: Number(raw.transfers),
    entries: Number(raw.entries),
    checks,
    elapsedMs: performance.now() - started,
  };
}

/** The report as lines a person reads: what was checked, what was found. */
export function formatLedgerVerification(report: LedgerVerification): string {
  const lines = [
    `Ledger: ${report.accounts} accounts, ${report.transfers} transfers, ${report.entries} entries, checked in ${Math.round(report.elapsedMs)} ms`,
  ];
  for (const check of report.checks) {
    if (check.violations === 0) {
      lines.push(`  ok    ${check.rule}`);
    } else {
      lines.push(`  FAIL  ${check.rule}: ${check.violations} violation${check.violations === 1 ? '' : 's'} [${check.name}]`);
      for (const sample of check.samples) lines.push(`          ${JSON.stringify(sample)}`);
    }
  }
  const broken = report.checks.filter((c) => c.violations > 0);
  lines.push(
    report.ok
      ? 'The ledger is consistent.'
      : `The ledger is INCONSISTENT: ${broken.length} of ${report.checks.length} checks failed (${broken.map((c) => c.name).join(', ')}).`,
  );
  return lines.join('\n');
}
