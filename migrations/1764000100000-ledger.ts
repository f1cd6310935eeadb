import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credit ledger: accounts with cached balances guarded by CHECK constraints,
 * immutable transfers (the caller's id is the idempotency key), and the entries
 * each posted transfer writes, with the balance after each one.
 *
 * Two-phase transfers follow TigerBeetle: a PENDING transfer reserves credits
 * (pending_out) without moving them; exactly one POST_PENDING or VOID_PENDING
 * transfer later resolves it (UNIQUE pending_id).
 *
 * The movements are SQL functions so one use case pays one round trip per
 * movement, and so the rules hold whoever writes to the database.
 */
export class Ledger1764000100000 implements MigrationInterface {
  name = 'Ledger1764000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ledger_accounts (
        id          uuid PRIMARY KEY,
        kind        text NOT NULL CHECK (kind IN ('MEMBER', 'ESCROW', 'SYSTEM')),
        owner_id    uuid,
        code        text,
        posted      bigint NOT NULL DEFAULT 0,
        pending_out bigint NOT NULL DEFAULT 0 CHECK (pending_out >= 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_accounts_never_negative CHECK (kind = 'SYSTEM' OR posted - pending_out >= 0),
        CONSTRAINT ledger_accounts_owner CHECK ((kind = 'SYSTEM') = (owner_id IS NULL) AND (kind = 'SYSTEM') = (code IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN ledger_accounts.id IS 'MEMBER: the member id; ESCROW: the post id; SYSTEM: a fixed id'`);
    await db.query(`COMMENT ON COLUMN ledger_accounts.owner_id IS 'MEMBER: the member; ESCROW: the post author'`);
    await db.query(`CREATE UNIQUE INDEX ledger_accounts_system_code ON ledger_accounts (code) WHERE kind = 'SYSTEM'`);
    await db.query(`
      INSERT INTO ledger_accounts (id, kind, code) VALUES
        ('00000000-0000-4000-8000-000000000001', 'SYSTEM', 'ISSUANCE'),
        ('00000000-0000-4000-8000-000000000002', 'SYSTEM', 'ADJUSTMENTS')`);

    await db.query(`
      CREATE TABLE ledger_transfers (
        id                uuid PRIMARY KEY,
        debit_account_id  uuid NOT NULL REFERENCES ledger_accounts (id),
        credit_account_id uuid NOT NULL REFERENCES ledger_accounts (id),
        amount            bigint NOT NULL CHECK (amount >= 0),
        kind              text NOT NULL CHECK (kind IN ('SIGNUP_GRANT', 'CAMPAIGN_FUNDING', 'CAMPAIGN_REFUND', 'SHARE_REWARD', 'ADJUSTMENT')),
        phase             text NOT NULL CHECK (phase IN ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING')),
        pending_id        uuid REFERENCES ledger_transfers (id),
        post_id           uuid,
        share_id          uuid,
        member_id         uuid,
        memo              text CHECK (length(memo) <= 500),
        created_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_transfers_distinct_accounts CHECK (debit_account_id <> credit_account_id),
        CONSTRAINT ledger_transfers_resolution CHECK ((phase IN ('POST_PENDING', 'VOID_PENDING')) = (pending_id IS NOT NULL)),
        CONSTRAINT ledger_transfers_positive CHECK (amount > 0 OR phase IN ('POST_PENDING', 'VOID_PENDING')),
        CONSTRAINT ledger_transfers_resolved_once UNIQUE (pending_id)
      )`);
    await db.query(`CREATE INDEX ledger_transfers_by_share ON ledger_transfers (share_id) WHERE share_id IS NOT NULL`);
    await db.query(`CREATE INDEX ledger_transfers_by_post ON ledger_transfers (post_id) WHERE post_id IS NOT NULL`);
    await db.query(`CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id)`);
    await db.query(`CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id)`);

    await db.query(`
      CREATE TABLE ledger_entries (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        transfer_id   uuid NOT NULL REFERENCES ledger_transfers (id),
        account_id    uuid NOT NULL REFERENCES ledger_accounts (id),
        amount        bigint NOT NULL CHECK (amount <> 0),
        balance_after bigint NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`COMMENT ON COLUMN ledger_entries.amount IS 'signed: credits in are positive, credits out negative'`);
    await db.query(`CREATE INDEX ledger_entries_statement ON ledger_entries (account_id, seq DESC)`);
    await db.query(`CREATE INDEX ledger_entries_by_transfer ON ledger_entries (transfer_id)`);

    for (const table of ['ledger_transfers', 'ledger_entries']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_change()`);
    }

    // Locks the two accounts of a movement in id order (no deadlocks between
    // movements; NO KEY UPDATE, so foreign keys to them are not blocked), failing
    // with SPNA1 if one does not exist. Returns what the debit account has
    // available, NULL for a system account (no limit).
    await db.query(`
      CREATE FUNCTION ledger_lock_accounts(p_debit uuid, p_credit uuid) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE locked int; available bigint;
      BEGIN
        SELECT count(*), max(posted - pending_out) FILTER (WHERE id = p_debit AND kind <> 'SYSTEM') INTO locked, available
          FROM (SELECT id, kind, posted, pending_out FROM ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR NO KEY UPDATE) a;
        IF locked <> 2 THEN
          RAISE EXCEPTION 'ledger account missing' USING ERRCODE = 'SPNA1',
            DETAIL = json_build_object('accounts', json_build_array(p_debit, p_credit))::text;
        END IF;
        RETURN available;
      END $$`);

    // A replayed transfer id returns the original when its parameters match,
    // else fails with SPID1. A movement finds its id taken when it inserts its
    // transfer (ON CONFLICT), before anything has moved; that also covers the
    // same id sent at once with other accounts, whose locks put nothing in line.
    // (Under REPEATABLE READ such an insert fails with 40001 and is retried.)
    await db.query(`
      CREATE FUNCTION ledger_replay(existing ledger_transfers, p_debit uuid, p_credit uuid, p_amount bigint,
                                    p_kind text, p_phase text, p_pending uuid)
      RETURNS ledger_transfers LANGUAGE plpgsql AS $$
      BEGIN
        IF existing.debit_account_id IS DISTINCT FROM p_debit OR existing.credit_account_id IS DISTINCT FROM p_credit
           OR existing.amount <> p_amount OR existing.kind <> p_kind
           OR existing.phase <> p_phase OR existing.pending_id IS DISTINCT FROM p_pending THEN
          RAISE EXCEPTION 'transfer id % was already used with other parameters', existing.id USING ERRCODE = 'SPID1';
        END IF;
        RETURN existing;
      END $$`);

    // Fails with SPIC1 (detail: available, requested); any writes before it are undone with the statement.
    await db.query(`
      CREATE FUNCTION ledger_insufficient(p_available bigint, p_amount bigint) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'insufficient credits' USING ERRCODE = 'SPIC1',
          DETAIL = json_build_object('available', p_available, 'requested', p_amount)::text;
      END $$`);

    // A single-phase transfer, posted at once: both balances and both entries
    // (with the balance after each) in one statement.
    await db.query(`
      CREATE FUNCTION ledger_transfer(p_id uuid, p_debit uuid, p_credit uuid, p_amount bigint, p_kind text,
                                      p_post uuid, p_share uuid, p_member uuid, p_memo text)
      RETURNS ledger_transfers LANGUAGE plpgsql AS $$
      DECLARE t ledger_transfers; available bigint;
      BEGIN
        available := ledger_lock_accounts(p_debit, p_credit);
        INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, post_id, share_id, member_id, memo)
          VALUES (p_id, p_debit, p_credit, p_amount, p_kind, 'POSTED', p_post, p_share, p_member, p_memo)
          ON CONFLICT (id) DO NOTHING RETURNING * INTO t;
        IF NOT FOUND THEN
          SELECT * INTO t FROM ledger_transfers WHERE id = p_id;
          RETURN ledger_replay(t, p_debit, p_credit, p_amount, p_kind, 'POSTED', NULL);
        END IF;
        IF available < p_amount THEN PERFORM ledger_insufficient(available, p_amount); END IF;
        WITH moved AS (
          UPDATE ledger_accounts SET posted = posted + CASE id WHEN p_debit THEN -p_amount ELSE p_amount END
            WHERE id IN (p_debit, p_credit) RETURNING id, posted)
        INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
          SELECT p_id, id, CASE id WHEN p_debit THEN -p_amount ELSE p_amount END, posted FROM moved;
        RETURN t;
      END $$`);

    // The first phase: reserves the amount on the debit account.
    await db.query(`
      CREATE FUNCTION ledger_hold(p_id uuid, p_debit uuid, p_credit uuid, p_amount bigint, p_kind text,
                                  p_post uuid, p_share uuid, p_member uuid, p_memo text)
      RETURNS ledger_transfers LANGUAGE plpgsql AS $$
      DECLARE t ledger_transfers; available bigint;
      BEGIN
        available := ledger_lock_accounts(p_debit, p_credit);
        INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, post_id, share_id, member_id, memo)
          VALUES (p_id, p_debit, p_credit, p_amount, p_kind, 'PENDING', p_post, p_share, p_member, p_memo)
          ON CONFLICT (id) DO NOTHING RETURNING * INTO t;
        IF NOT FOUND THEN
          SELECT * INTO t FROM ledger_transfers WHERE id = p_id;
          RETURN ledger_replay(t, p_debit, p_credit, p_amount, p_kind, 'PENDING', NULL);
        END IF;
        IF available < p_amount THEN PERFORM ledger_insufficient(available, p_amount); END IF;
        UPDATE ledger_accounts SET pending_out = pending_out + p_amount WHERE id = p_debit;
        RETURN t;
      END $$`);

    // The second phase: posts a pending transfer (for its amount or less, the rest
    // released) or voids it. A pending transfer is resolved once (UNIQUE pending_id):
    // SPPR1 otherwise.
    await db.query(`
      CREATE FUNCTION ledger_resolve(p_id uuid, p_pending uuid, p_phase text, p_amount bigint, p_memo text)
      RETURNS ledger_transfers LANGUAGE plpgsql AS $$
      DECLARE pending ledger_transfers; t ledger_transfers; settled bigint;
      BEGIN
        SELECT * INTO pending FROM ledger_transfers WHERE id = p_pending;
        IF NOT FOUND OR pending.phase <> 'PENDING' THEN
          RAISE EXCEPTION 'no pending transfer %', p_pending USING ERRCODE = 'SPPN1';
        END IF;
        settled := CASE WHEN p_phase = 'VOID_PENDING' THEN 0 ELSE coalesce(p_amount, pending.amount) END;
        IF settled < 0 OR settled > pending.amount THEN
          RAISE EXCEPTION 'cannot settle % of a pending transfer of %', settled, pending.amount USING ERRCODE = 'SPAM1';
        END IF;
        PERFORM ledger_lock_accounts(pending.debit_account_id, pending.credit_account_id);
        INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, pending_id, post_id, share_id, member_id, memo)
          VALUES (p_id, pending.debit_account_id, pending.credit_account_id, settled, pending.kind, p_phase, p_pending,
                  pending.post_id, pending.share_id, pending.member_id, coalesce(p_memo, pending.memo))
          ON CONFLICT DO NOTHING RETURNING * INTO t;
        IF NOT FOUND THEN
          -- Either this id was used before (a replay or a conflict) or the hold was resolved by another.
          SELECT * INTO t FROM ledger_transfers WHERE id = p_id;
          IF FOUND THEN
            RETURN ledger_replay(t, pending.debit_account_id, pending.credit_account_id, settled, pending.kind, p_phase, p_pending);
          END IF;
          SELECT * INTO t FROM ledger_transfers WHERE pending_id = p_pending;
          RAISE EXCEPTION 'pending transfer % was already %', p_pending,
            CASE t.phase WHEN 'VOID_PENDING' THEN 'voided' ELSE 'settled' END USING ERRCODE = 'SPPR1';
        END IF;
        WITH moved AS (
          UPDATE ledger_accounts
            SET posted = posted + CASE id WHEN pending.debit_account_id THEN -settled ELSE settled END,
                pending_out = pending_out - CASE id WHEN pending.debit_account_id THEN pending.amount ELSE 0 END
            WHERE id = pending.debit_account_id OR (id = pending.credit_account_id AND settled > 0)
            RETURNING id, posted)
        INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
          SELECT p_id, id, CASE id WHEN pending.debit_account_id THEN -settled ELSE settled END, posted FROM moved WHERE settled > 0;
        RETURN t;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const fn of [
      'ledger_resolve(uuid, uuid, text, bigint, text)',
      'ledger_hold(uuid, uuid, uuid, bigint, text, uuid, uuid, uuid, text)',
      'ledger_transfer(uuid, uuid, uuid, bigint, text, uuid, uuid, uuid, text)',
      'ledger_insufficient(bigint, bigint)',
      'ledger_replay(ledger_transfers, uuid, uuid, bigint, text, text, uuid)',
      'ledger_lock_accounts(uuid, uuid)',
    ]) {
      await db.query(`DROP FUNCTION ${fn}`);
    }
    await db.query(`DROP TABLE ledger_entries`);
    await db.query(`DROP TABLE ledger_transfers`);
    await db.query(`DROP TABLE ledger_accounts`);
  }
}
