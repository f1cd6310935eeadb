import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database says when something that API processes keep in memory has
 * changed, on one channel, `sharepool_changes`, with payloads `<topic>:<key>`:
 *
 * - `member:<id>`: a member's row (status, role, names) changed; the
 *   authentication cache drops it.
 * - `feed:<member id>`: that member's feed lost or gained a post through their
 *   own doing (a share made, failed or cancelled; a niche joined or left).
 * - `feed:*`: every feed may have changed (a post approved, rejected or
 *   withdrawn, a pause set or lifted, a member suspended or reinstated, a niche
 *   renamed).
 *
 * Triggers, not calls in the use cases, so no code path can forget one; a
 * NOTIFY is sent on commit only, and Postgres folds repeats within a
 * transaction into one. Budgets, counts and the reciprocity order send
 * nothing: they change with every delivery, and the feed cache lets them lag
 * by FEED_CACHE_SECONDS at most.
 */
export class ChangeNotifications1764000600000 implements MigrationInterface {
  name = 'ChangeNotifications1764000600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        topic text := TG_ARGV[0];
        key_column text := TG_ARGV[1];
        subject jsonb;
      BEGIN
        IF key_column = '*' THEN
          PERFORM pg_notify('sharepool_changes', topic || ':*');
        ELSE
          subject := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
          PERFORM pg_notify('sharepool_changes', topic || ':' || (subject ->> key_column));
        END IF;
        RETURN NULL;
      END $$`);
    const triggers: Array<[string, string]> = [
      ['members_changed', `AFTER UPDATE OR DELETE ON members FOR EACH ROW EXECUTE FUNCTION notify_change('member', 'id')`],
      [
        'members_status_changed',
        `AFTER UPDATE OF status ON members FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
         EXECUTE FUNCTION notify_change('feed', '*')`,
      ],
      ['member_niches_changed', `AFTER INSERT OR DELETE ON member_niches FOR EACH ROW EXECUTE FUNCTION notify_change('feed', 'member_id')`],
      ['shares_made', `AFTER INSERT ON shares FOR EACH ROW EXECUTE FUNCTION notify_change('feed', 'sharer_id')`],
      [
        'shares_ended_unposted',
        `AFTER UPDATE OF status ON shares FOR EACH ROW
         WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('FAILED', 'CANCELLED'))
         EXECUTE FUNCTION notify_change('feed', 'sharer_id')`,
      ],
      [
        'posts_approved_on_insert',
        `AFTER INSERT ON posts FOR EACH ROW WHEN (NEW.status = 'APPROVED') EXECUTE FUNCTION notify_change('feed', '*')`,
      ],
      [
        'posts_status_changed',
        `AFTER UPDATE OF status ON posts FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
         EXECUTE FUNCTION notify_change('feed', '*')`,
      ],
      [
        'sharing_pauses_changed',
        `AFTER INSERT OR UPDATE OR DELETE ON sharing_pauses FOR EACH STATEMENT EXECUTE FUNCTION notify_change('feed', '*')`,
      ],
      ['niches_changed', `AFTER UPDATE OR DELETE ON niches FOR EACH STATEMENT EXECUTE FUNCTION notify_change('feed', '*')`],
    ];
    for (const [name, definition] of triggers) await db.query(`CREATE TRIGGER ${name} ${definition}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['niches_changed', 'niches'],
      ['sharing_pauses_changed', 'sharing_pauses'],
      ['posts_status_changed', 'posts'],
      ['posts_approved_on_insert', 'posts'],
      ['shares_ended_unposted', 'shares'],
      ['shares_made', 'shares'],
      ['member_niches_changed', 'member_niches'],
      ['members_status_changed', 'members'],
      ['members_changed', 'members'],
    ])
      await db.query(`DROP TRIGGER ${name} ON ${table}`);
    await db.query(`DROP FUNCTION notify_change()`);
  }
}
