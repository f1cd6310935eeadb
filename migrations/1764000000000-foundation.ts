import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ground shared by every domain: a trigger function that makes a table
 * append-only, the audit trail, and the job outbox.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);

    await db.query(`
      CREATE TABLE audit_log (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id    uuid,
        actor_kind  text NOT NULL CHECK (actor_kind IN ('member', 'system')),
        action      text NOT NULL,
        target_type text NOT NULL,
        target_id   uuid,
        reason      text,
        details     jsonb NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX audit_log_newest_first ON audit_log (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id)`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION forbid_change()`);

    // Jobs written in the same transaction as the state they act on; a relay
    // hands them to Bull after commit, so a crash in between loses nothing.
    await db.query(`
      CREATE TABLE outbox (
        id            bigserial PRIMARY KEY,
        job_name      text NOT NULL,
        job_id        text NOT NULL,
        payload       jsonb NOT NULL,
        run_at        timestamptz NOT NULL DEFAULT now(),
        created_at    timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION forbid_change()`);
  }
}
