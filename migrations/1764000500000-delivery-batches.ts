import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery in batches, each one statement: a worker claims the shares whose
 * jobs run at the same time in one call, and records the ones the networks
 * accepted in another. Each is a transaction of its own, so a batch costs one
 * round trip to the database whatever its size.
 *
 * The lock order is the one every use case keeps: channels, then shares, then
 * posts, then ledger accounts; within each kind, by id (ledger accounts by the
 * order of the calls, sorted here by sharer).
 */
export class DeliveryBatches1764000500000 implements MigrationInterface {
  name = 'DeliveryBatches1764000500000';

  async up(db: QueryRunner): Promise<void> {
    // Claims, among the given shares, each one that may go now: SCHEDULED and due, tried fewer than
    // p_max_attempts times, its post APPROVED and not paused, its channel ACTIVE and past its minimum
    // interval (one share per channel and batch when there is an interval). A claimed share becomes
    // POSTING under the lease token given for it. Returns every given share that exists, claimed or
    // not; the caller decides about the others one by one.
    await db.query(`
      CREATE FUNCTION shares_claim(p_ids uuid[], p_lease_tokens uuid[], p_lease_seconds int,
                                   p_min_interval_seconds int, p_max_attempts int)
      RETURNS SETOF shares LANGUAGE plpgsql ROWS 64 AS $$
      BEGIN
        PERFORM 1 FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id JOIN channels c ON c.id = s.channel_id
          ORDER BY c.id FOR UPDATE OF c;
        PERFORM 1 FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id ORDER BY s.id FOR UPDATE OF s;
        WITH eligible AS (
          SELECT s.id, g.token, s.channel_id, row_number() OVER (PARTITION BY s.channel_id ORDER BY s.id) AS nth
            FROM unnest(p_ids, p_lease_tokens) AS g(id, token)
            JOIN shares s ON s.id = g.id JOIN channels c ON c.id = s.channel_id JOIN posts p ON p.id = s.post_id
           WHERE s.status = 'SCHEDULED' AND s.next_attempt_at <= now() + interval '1 second'
             AND s.attempts < p_max_attempts AND p.status = 'APPROVED' AND c.status = 'ACTIVE'
             AND (c.last_posted_at IS NULL OR c.last_posted_at + make_interval(secs => p_min_interval_seconds) <= now())
             AND NOT EXISTS (SELECT 1 FROM sharing_pauses sp WHERE sp.resumed_at IS NULL
                               AND (sp.scope = 'EVERYTHING' OR sp.post_id = s.post_id OR sp.niche_id = s.niche_id))),
        claimed AS (
          UPDATE shares s SET status = 'POSTING', attempts = s.attempts + 1, lease_token = e.token,
                 lease_expires_at = now() + make_interval(secs => p_lease_seconds), updated_at = now()
            FROM eligible e
           WHERE s.id = e.id AND (p_min_interval_seconds = 0 OR e.nth = 1)
          RETURNING s.channel_id)
        UPDATE channels c SET last_posted_at = now() FROM (SELECT DISTINCT claimed.channel_id FROM claimed) k WHERE c.id = k.channel_id;
        RETURN QUERY SELECT s.* FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id;
      END $$`);

    // Records shares the networks accepted: POSTED (those not final yet), their posts' counts, the
    // holds settled to the sharers (transfer ids given, one per share) and reciprocity. Returns the
    // ids it recorded; a share already final is left as it is.
    await db.query(`
      CREATE FUNCTION shares_record_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
                                           p_settle_ids uuid[], p_memo text)
      RETURNS SETOF uuid LANGUAGE plpgsql ROWS 64 AS $$
      DECLARE ids uuid[]; post_ids uuid[]; sharer_ids uuid[]; author_ids uuid[]; hold_ids uuid[]; settle_ids uuid[];
      BEGIN
        PERFORM 1 FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id ORDER BY s.id FOR UPDATE OF s;
        WITH done AS (
          UPDATE shares s SET status = 'POSTED', posted_at = now(), external_id = v.external_id, external_url = v.external_url,
                 failure_reason = NULL, lease_token = NULL, lease_expires_at = NULL, ambiguous = false, updated_at = now()
            FROM unnest(p_ids, p_external_ids, p_external_urls, p_settle_ids) AS v(id, external_id, external_url, settle_id)
           WHERE s.id = v.id AND s.status IN ('SCHEDULED', 'POSTING')
          RETURNING s.id, s.post_id, s.sharer_id, s.author_id, s.hold_id, v.settle_id)
        SELECT array_agg(done.id), array_agg(done.post_id), array_agg(done.sharer_id), array_agg(done.author_id),
               array_agg(done.hold_id), array_agg(done.settle_id)
          INTO ids, post_ids, sharer_ids, author_ids, hold_ids, settle_ids FROM done;
        IF ids IS NULL THEN RETURN; END IF;
        UPDATE posts p SET posted_share_count = p.posted_share_count + l.n
          FROM (SELECT q.id, c.n FROM (SELECT u.post_id, count(*)::int AS n FROM unnest(post_ids) AS u(post_id) GROUP BY u.post_id) c
                  JOIN posts q ON q.id = c.post_id ORDER BY q.id FOR NO KEY UPDATE OF q) l
         WHERE p.id = l.id;
        PERFORM ledger_resolve(r.settle_id, r.hold_id, 'POST_PENDING', NULL, p_memo)
           FROM (SELECT * FROM unnest(settle_ids, hold_ids, sharer_ids) AS u(settle_id, hold_id, sharer_id)
                  ORDER BY u.sharer_id, u.settle_id) r;
        INSERT INTO reciprocity (sharer_id, author_id, shares, last_shared_at)
        SELECT u.sharer_id, u.author_id, count(*), now() FROM unnest(sharer_ids, author_ids) AS u(sharer_id, author_id)
         GROUP BY u.sharer_id, u.author_id ORDER BY u.sharer_id, u.author_id
        ON CONFLICT (sharer_id, author_id)
        DO UPDATE SET shares = reciprocity.shares + excluded.shares, last_shared_at = now();
        RETURN QUERY SELECT unnest(ids);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION shares_record_posted(uuid[], text[], text[], uuid[], text)`);
    await db.query(`DROP FUNCTION shares_claim(uuid[], uuid[], int, int, int)`);
  }
}
