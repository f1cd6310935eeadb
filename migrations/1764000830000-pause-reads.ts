import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation's published reads of pauses (PauseInForceView): the pauses in
 * force, and sharing_paused(post_id, niche_id), which holds while one of them
 * covers a share's scope: the one definition of "paused" for every query,
 * where libs used to paste moderation's SQL. A plain SQL function, which
 * Postgres inlines into the query that calls it.
 */
export class PauseReads1764000830000 implements MigrationInterface {
  name = 'PauseReads1764000830000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE VIEW pauses_in_force AS SELECT id, scope, post_id, niche_id FROM sharing_pauses WHERE resumed_at IS NULL`);
    await db.query(`
      CREATE FUNCTION sharing_paused(p_post_id uuid, p_niche_id uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM sharing_pauses sp WHERE sp.resumed_at IS NULL
                         AND (sp.scope = 'EVERYTHING' OR sp.post_id = p_post_id OR sp.niche_id = p_niche_id))
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION sharing_paused(uuid, uuid)`);
    await db.query(`DROP VIEW pauses_in_force`);
  }
}
