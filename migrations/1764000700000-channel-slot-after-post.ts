import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A channel's minimum interval counts from the post, not from the claim.
 *
 * Claiming a share sets its channel's last_posted_at, which keeps a second
 * share of that channel from being claimed beside it. But the network receives
 * the post only after the publish call has run, so two posts could reach it
 * closer together than CHANNEL_MIN_INTERVAL_SECONDS by however long the first
 * call took. Recording a posted share now moves its channel's last_posted_at to
 * the time of the recording, which comes after the network has the post: the
 * next claim of that channel is then at least the interval after it.
 *
 * The recording itself is unchanged: it is renamed shares_settle_posted, and
 * shares_record_posted wraps it, taking the channels' locks first (the lock
 * order is channels, then shares).
 */
export class ChannelSlotAfterPost1764000700000 implements MigrationInterface {
  name = 'ChannelSlotAfterPost1764000700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER FUNCTION shares_record_posted(uuid[], text[], text[], uuid[], text) RENAME TO shares_settle_posted`);
    await db.query(`
      CREATE FUNCTION shares_record_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
                                           p_settle_ids uuid[], p_memo text)
      RETURNS SETOF uuid LANGUAGE plpgsql ROWS 64 AS $$
      DECLARE recorded uuid[];
      BEGIN
        PERFORM 1 FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id JOIN channels c ON c.id = s.channel_id
          ORDER BY c.id FOR UPDATE OF c;
        SELECT array_agg(r.id) INTO recorded
          FROM shares_settle_posted(p_ids, p_external_ids, p_external_urls, p_settle_ids, p_memo) AS r(id);
        IF recorded IS NULL THEN RETURN; END IF;
        UPDATE channels c SET last_posted_at = greatest(c.last_posted_at, now())
          FROM (SELECT DISTINCT s.channel_id FROM shares s WHERE s.id = ANY (recorded)) k
         WHERE c.id = k.channel_id;
        RETURN QUERY SELECT unnest(recorded);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION shares_record_posted(uuid[], text[], text[], uuid[], text)`);
    await db.query(`ALTER FUNCTION shares_settle_posted(uuid[], text[], text[], uuid[], text) RENAME TO shares_record_posted`);
  }
}
