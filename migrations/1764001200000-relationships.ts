import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Relationship value and trust levels.
 *
 * - shares.reach: the audience of a share's channel when it was posted.
 * - relationships (libs/relationships): one row per member and peer with
 *   history either way: POSTED shares and audience reached both ways, first
 *   and last times, and the peer's shares of the member's posts within the
 *   RFM window (365 days) as of relationship_window.since. The rows are kept in
 *   the transaction that records shares POSTED (shares_settle_posted calls
 *   relationships_record_posted); relationship_shares holds each of those
 *   shares once, so a reader can set the window figures right for any time,
 *   and a daily job moves the window on.
 * - The RFM scores and segments as SQL functions (the thresholds of the
 *   partner contract), used by the relationships lib and the share feed alike.
 * - member_trust, trust_reviews_due, trust_daily_reviews (libs/trust): a
 *   member's trust level when it is not NEW, who is due for a look at their
 *   level (the share recording marks sharers and authors), and the daily
 *   reviews done; a trigger drops a suspended member to NEW.
 * - post_transitions gains APPROVED → REJECTED: a moderator can reject a post
 *   that skipped review (the service allows it for those posts only).
 */
export class Relationships1764001200000 implements MigrationInterface {
  name = 'Relationships1764001200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE shares ADD COLUMN reach int`);
    await db.query(`COMMENT ON COLUMN shares.reach IS 'the audience of the share''s channel when it was posted'`);
    await db.query(`UPDATE shares s SET reach = c.audience_size FROM channels c WHERE c.id = s.channel_id AND s.status = 'POSTED'`);
    await db.query(
      `ALTER TABLE shares ADD CONSTRAINT shares_posted_reach CHECK ((status = 'POSTED') = (reach IS NOT NULL) AND (reach IS NULL OR reach >= 0))`,
    );

    await this.createRelationships(db);
    await this.createRfm(db);
    await this.createTrust(db);
    await this.recordInSettlement(db);
    await db.query(`INSERT INTO post_transitions VALUES ('APPROVED', 'REJECTED')`);
  }

  private async createRelationships(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE relationships (
        member_id             uuid NOT NULL REFERENCES members (id),
        peer_id               uuid NOT NULL REFERENCES members (id),
        shares_given          int NOT NULL DEFAULT 0 CHECK (shares_given >= 0),
        shares_received       int NOT NULL DEFAULT 0 CHECK (shares_received >= 0),
        reach_given           bigint NOT NULL DEFAULT 0 CHECK (reach_given >= 0),
        reach_received        bigint NOT NULL DEFAULT 0 CHECK (reach_received >= 0),
        last_given_at         timestamptz,
        first_received_at     timestamptz,
        last_received_at      timestamptz,
        recent_received       int NOT NULL DEFAULT 0,
        recent_reach_received bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (member_id, peer_id),
        CONSTRAINT relationships_not_self CHECK (member_id <> peer_id)
      )`);
    await db.query(
      `COMMENT ON TABLE relationships IS 'POSTED shares between a member and a peer, both ways; kept in the transaction that records them'`,
    );
    await db.query(
      `COMMENT ON COLUMN relationships.recent_received IS 'the peer''s shares of the member''s posts posted since relationship_window.since'`,
    );
    // The orders of viewer { relationships }: by recency of the peer's shares (VALUE), by owed, by the latest share either way.
    // VALUE reads a range of last_received_at and ranks it from these columns alone (an index-only scan).
    await db.query(
      `CREATE INDEX relationships_by_recency ON relationships (member_id, last_received_at DESC)
         INCLUDE (peer_id, recent_received, recent_reach_received, first_received_at)`,
    );
    await db.query(
      `CREATE INDEX relationships_by_owed ON relationships
         (member_id, greatest(shares_received - shares_given, 0) DESC, coalesce(last_received_at, '-infinity') DESC, peer_id DESC)`,
    );
    await db.query(
      `CREATE INDEX relationships_by_latest ON relationships (member_id, greatest(last_given_at, last_received_at) DESC, peer_id DESC)`,
    );

    await db.query(`
      CREATE TABLE relationship_shares (
        author_id uuid NOT NULL,
        sharer_id uuid NOT NULL,
        posted_at timestamptz NOT NULL,
        share_id  uuid NOT NULL,
        reach     int NOT NULL CHECK (reach >= 0),
        PRIMARY KEY (author_id, sharer_id, posted_at, share_id)
      )`);
    await db.query(`COMMENT ON TABLE relationship_shares IS 'each POSTED share once, as relationships counted it (share_id: the share)'`);
    // A pair's shares over time (the key), a member's received and given over time, and all by time (moving the window).
    await db.query(`CREATE INDEX relationship_shares_by_author ON relationship_shares (author_id, posted_at)`);
    await db.query(`CREATE INDEX relationship_shares_by_sharer ON relationship_shares (sharer_id, posted_at)`);
    await db.query(`CREATE INDEX relationship_shares_by_time ON relationship_shares USING brin (posted_at)`);

    await db.query(`
      CREATE TABLE relationship_window (
        id    boolean PRIMARY KEY DEFAULT true CHECK (id),
        since timestamptz NOT NULL
      )`);
    await db.query(`COMMENT ON TABLE relationship_window IS 'one row: the start of the 365 days relationships.recent_* count'`);
    await db.query(`INSERT INTO relationship_window (since) VALUES (now() - interval '8760 hours')`);

    // Records shares that just became POSTED (the caller records each once) in both members' rows, in (member, peer) order.
    await db.query(`
      CREATE FUNCTION relationships_record_posted(p_share_ids uuid[], p_author_ids uuid[], p_sharer_ids uuid[],
                                                  p_reaches int[], p_at timestamptz)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE v_since timestamptz := (SELECT since FROM relationship_window);
      BEGIN
        WITH fresh AS (
          INSERT INTO relationship_shares (share_id, author_id, sharer_id, reach, posted_at)
          SELECT u.share_id, u.author_id, u.sharer_id, u.reach, p_at
            FROM unnest(p_share_ids, p_author_ids, p_sharer_ids, p_reaches) AS u(share_id, author_id, sharer_id, reach)
          RETURNING author_id, sharer_id, reach),
        sides AS (
          SELECT sharer_id AS member_id, author_id AS peer_id, 1 AS given, reach::bigint AS reach_given, 0 AS received, 0::bigint AS reach_received FROM fresh
          UNION ALL
          SELECT author_id, sharer_id, 0, 0, 1, reach FROM fresh),
        pairs AS (
          SELECT member_id, peer_id, sum(given)::int AS given, sum(reach_given) AS reach_given,
                 sum(received)::int AS received, sum(reach_received) AS reach_received
            FROM sides GROUP BY member_id, peer_id)
        INSERT INTO relationships AS r (member_id, peer_id, shares_given, reach_given, last_given_at, shares_received, reach_received,
                                        first_received_at, last_received_at, recent_received, recent_reach_received)
        SELECT member_id, peer_id, given, reach_given, CASE WHEN given > 0 THEN p_at END, received, reach_received,
               CASE WHEN received > 0 THEN p_at END, CASE WHEN received > 0 THEN p_at END,
               CASE WHEN p_at >= v_since THEN received ELSE 0 END, CASE WHEN p_at >= v_since THEN reach_received ELSE 0 END
          FROM pairs ORDER BY member_id, peer_id
        ON CONFLICT (member_id, peer_id) DO UPDATE SET
          shares_given = r.shares_given + excluded.shares_given,
          reach_given = r.reach_given + excluded.reach_given,
          last_given_at = greatest(r.last_given_at, excluded.last_given_at),
          shares_received = r.shares_received + excluded.shares_received,
          reach_received = r.reach_received + excluded.reach_received,
          first_received_at = least(r.first_received_at, excluded.first_received_at),
          last_received_at = greatest(r.last_received_at, excluded.last_received_at),
          recent_received = r.recent_received + excluded.recent_received,
          recent_reach_received = r.recent_reach_received + excluded.recent_reach_received;
      END $$`);

    // Every row again from relationship_shares (after a backfill or an import), the window starting at p_since.
    await db.query(`
      CREATE FUNCTION relationships_rebuild(p_since timestamptz) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM relationships;
        UPDATE relationship_window SET since = p_since;
        INSERT INTO relationships (member_id, peer_id, shares_given, reach_given, last_given_at, shares_received, reach_received,
                                   first_received_at, last_received_at, recent_received, recent_reach_received)
        SELECT member_id, peer_id, sum(given)::int, sum(reach_given), max(given_at), sum(received)::int, sum(reach_received),
               min(received_at), max(received_at), coalesce(sum(received) FILTER (WHERE received_at >= p_since), 0)::int,
               coalesce(sum(reach_received) FILTER (WHERE received_at >= p_since), 0)
          FROM (SELECT sharer_id AS member_id, author_id AS peer_id, 1 AS given, reach::bigint AS reach_given, posted_at AS given_at,
                       0 AS received, 0::bigint AS reach_received, NULL::timestamptz AS received_at FROM relationship_shares
                UNION ALL
                SELECT author_id, sharer_id, 0, 0, NULL, 1, reach, posted_at FROM relationship_shares) sides
         GROUP BY member_id, peer_id;
      END $$`);

    await db.query(`
      INSERT INTO relationship_shares (share_id, author_id, sharer_id, reach, posted_at)
      SELECT id, author_id, sharer_id, reach, posted_at FROM shares WHERE status = 'POSTED'`);
    await db.query(`SELECT relationships_rebuild(now() - interval '8760 hours')`);
  }

  /**
   * The contract's RFM thresholds and segments. Intervals in hours, so the
   * scores do not depend on the session's time zone (a day is 24 hours here).
   * SQL functions that the planner inlines into the queries that call them
   * (STABLE where they do arithmetic on timestamptz, which Postgres counts as
   * such).
   */
  private async createRfm(db: QueryRunner): Promise<void> {
    // The oldest time of the peer's last share that still scores `p_score` for recency at `p_at`
    // (5: within 7 days, 4: 30, 3: 90, 2: 180, 1: longer ago); 6 is the future.
    await db.query(`
      CREATE FUNCTION rfm_recency_floor(p_score int, p_at timestamptz) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE p_score WHEN 6 THEN 'infinity'::timestamptz WHEN 5 THEN p_at - interval '168 hours' WHEN 4 THEN p_at - interval '720 hours'
                            WHEN 3 THEN p_at - interval '2160 hours' WHEN 2 THEN p_at - interval '4320 hours' ELSE '-infinity'::timestamptz END $$`);
    await db.query(`
      CREATE FUNCTION rfm_recency(p_last timestamptz, p_at timestamptz) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_last IS NULL THEN NULL WHEN p_last >= rfm_recency_floor(5, p_at) THEN 5 WHEN p_last >= rfm_recency_floor(4, p_at) THEN 4
                    WHEN p_last >= rfm_recency_floor(3, p_at) THEN 3 WHEN p_last >= rfm_recency_floor(2, p_at) THEN 2 ELSE 1 END $$`);
    // By POSTED shares in the last 365 days: 1: 1 (or none left in the window); 2: 2+; 3: 5+; 4: 10+; 5: 20+.
    await db.query(`
      CREATE FUNCTION rfm_frequency(p_shares bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_shares >= 20 THEN 5 WHEN p_shares >= 10 THEN 4 WHEN p_shares >= 5 THEN 3 WHEN p_shares >= 2 THEN 2 ELSE 1 END $$`);
    // By the audience those shares reached: 1: under 500; 2: 500+; 3: 2,000+; 4: 10,000+; 5: 50,000+.
    await db.query(`
      CREATE FUNCTION rfm_monetary(p_reach bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_reach >= 50000 THEN 5 WHEN p_reach >= 10000 THEN 4 WHEN p_reach >= 2000 THEN 3 WHEN p_reach >= 500 THEN 2 ELSE 1 END $$`);
    // The first segment that matches, in the order of the contract's enum; recency null: the peer never shared the member.
    await db.query(`
      CREATE FUNCTION relationship_segment(p_recency int, p_frequency int, p_first_received_at timestamptz, p_at timestamptz)
      RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_recency IS NULL THEN 'NOT_YET'
                    WHEN p_recency >= 4 AND p_frequency >= 4 THEN 'SUPER_FAN'
                    WHEN p_recency >= 3 AND p_frequency >= 3 THEN 'LOYAL'
                    WHEN p_first_received_at >= p_at - interval '720 hours' AND p_frequency <= 2 THEN 'NEW'
                    WHEN p_frequency >= 3 AND p_recency <= 2 THEN 'AT_RISK'
                    WHEN p_frequency <= 2 AND p_recency <= 2 THEN 'LAPSED'
                    ELSE 'OCCASIONAL' END $$`);
    // The peer's shares of p_member's posts (count, audience) to add to recent_* for the window ending at p_at:
    // those between the stored window's start and the asked one's (taken off when the window moved on since).
    await db.query(`
      CREATE FUNCTION relationship_window_change(p_member uuid, p_at timestamptz)
      RETURNS TABLE (peer_id uuid, shares bigint, reach bigint) LANGUAGE sql STABLE PARALLEL SAFE ROWS 10 AS $$
        SELECT e.sharer_id, sum(CASE WHEN w.cut > w.since THEN -1 ELSE 1 END), sum(CASE WHEN w.cut > w.since THEN -e.reach ELSE e.reach END)
          FROM (SELECT since, p_at - interval '8760 hours' AS cut FROM relationship_window) w
          JOIN relationship_shares e ON e.author_id = p_member AND e.posted_at >= least(w.since, w.cut) AND e.posted_at < greatest(w.since, w.cut)
         GROUP BY e.sharer_id $$`);
    // Each peer of p_member's with the balance of shares (received minus given: owed when positive) and
    // the segment at p_at: what the share feed orders by. (OFFSET 0 computes the scores once per row, so the
    // segment rule inlines: Postgres does not inline a function whose repeated arguments are expressions.)
    await db.query(`
      CREATE FUNCTION relationship_standing(p_member uuid, p_at timestamptz)
      RETURNS TABLE (peer_id uuid, balance int, segment text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT r.peer_id, r.shares_received - r.shares_given, relationship_segment(s.recency, s.frequency, r.first_received_at, p_at)
          FROM relationships r LEFT JOIN relationship_window_change(p_member, p_at) c ON c.peer_id = r.peer_id
         CROSS JOIN LATERAL (SELECT rfm_recency(r.last_received_at, p_at) AS recency,
                                    rfm_frequency(r.recent_received + coalesce(c.shares, 0)) AS frequency OFFSET 0) s
         WHERE r.member_id = p_member $$`);
  }

  private async createTrust(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE member_trust (
        member_id     uuid PRIMARY KEY REFERENCES members (id),
        level         text NOT NULL CHECK (level IN ('NEW', 'BASIC', 'MEMBER', 'TRUSTED', 'LEADER')),
        since         timestamptz NOT NULL,
        locked        boolean NOT NULL DEFAULT false,
        failing_since timestamptz,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`COMMENT ON TABLE member_trust IS 'a member''s trust level; a member without a row is NEW since joining'`);
    await db.query(
      `COMMENT ON COLUMN member_trust.failing_since IS 'the first daily review in a row that found the level''s requirements unmet'`,
    );
    await db.query(
      `CREATE INDEX member_trust_reviewed_daily ON member_trust (member_id) WHERE level IN ('BASIC', 'MEMBER', 'TRUSTED') AND NOT locked`,
    );

    await db.query(`
      CREATE TABLE trust_reviews_due (
        member_id uuid PRIMARY KEY REFERENCES members (id),
        due_at    timestamptz NOT NULL
      )`);
    await db.query(
      `COMMENT ON TABLE trust_reviews_due IS 'members whose level may go up: their history changed, or a day count will be reached'`,
    );
    await db.query(`CREATE INDEX trust_reviews_due_by_time ON trust_reviews_due (due_at)`);
    // Everyone is looked at once: members from before trust levels may qualify already.
    await db.query(`INSERT INTO trust_reviews_due (member_id, due_at) SELECT id, now() FROM members`);

    await db.query(`
      CREATE TABLE trust_daily_reviews (
        day        date PRIMARY KEY,
        started_at timestamptz NOT NULL DEFAULT now()
      )`);

    // A suspension drops the member to NEW (lifting any lock), in the audit log as the suspender's; a
    // reinstatement has their level looked at again. Whoever changes the status, this follows.
    await db.query(`
      CREATE FUNCTION trust_follow_status() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_from member_trust;
      BEGIN
        IF NEW.status = 'SUSPENDED' THEN
          SELECT * INTO v_from FROM member_trust WHERE member_id = NEW.id FOR UPDATE;
          IF FOUND AND (v_from.level <> 'NEW' OR v_from.locked) THEN
            UPDATE member_trust SET level = 'NEW', locked = false, failing_since = NULL, updated_at = now(),
                   since = CASE WHEN level = 'NEW' THEN since ELSE now() END
             WHERE member_id = NEW.id;
            INSERT INTO audit_log (actor_id, actor_kind, action, target_type, target_id, reason, details)
            VALUES (NEW.suspended_by, CASE WHEN NEW.suspended_by IS NULL THEN 'system' ELSE 'member' END, 'TRUST_LEVEL_CHANGED',
                    'Member', NEW.id, 'Suspended', jsonb_build_object('from', v_from.level, 'to', 'NEW', 'locked', false, 'automatic', false));
          END IF;
        ELSE
          INSERT INTO trust_reviews_due (member_id, due_at) VALUES (NEW.id, now())
          ON CONFLICT (member_id) DO UPDATE SET due_at = excluded.due_at;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER members_trust_follows_status AFTER UPDATE OF status ON members FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION trust_follow_status()`);

    await db.query(`
      CREATE FUNCTION trust_review_soon(p_member_ids uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trust_reviews_due (member_id, due_at)
        SELECT DISTINCT u.member_id, now() FROM unnest(p_member_ids) AS u(member_id) ORDER BY u.member_id
        ON CONFLICT (member_id) DO UPDATE SET due_at = excluded.due_at WHERE trust_reviews_due.due_at > excluded.due_at $$`);
  }

  /** shares_settle_posted as before, plus each share's reach, relationships and the trust reviews it makes due. */
  private async recordInSettlement(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION shares_settle_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
                                                      p_settle_ids uuid[], p_memo text)
      RETURNS SETOF uuid LANGUAGE plpgsql ROWS 64 AS $$
      DECLARE ids uuid[]; post_ids uuid[]; sharer_ids uuid[]; author_ids uuid[]; hold_ids uuid[]; settle_ids uuid[]; reaches int[];
      BEGIN
        PERFORM 1 FROM unnest(p_ids) AS g(id) JOIN shares s ON s.id = g.id ORDER BY s.id FOR UPDATE OF s;
        WITH done AS (
          UPDATE shares s SET status = 'POSTED', posted_at = now(), reach = c.audience_size, external_id = v.external_id,
                 external_url = v.external_url, failure_reason = NULL, lease_token = NULL, lease_expires_at = NULL, ambiguous = false,
                 updated_at = now()
            FROM unnest(p_ids, p_external_ids, p_external_urls, p_settle_ids) AS v(id, external_id, external_url, settle_id), channels c
           WHERE s.id = v.id AND s.status IN ('SCHEDULED', 'POSTING') AND c.id = s.channel_id
          RETURNING s.id, s.post_id, s.sharer_id, s.author_id, s.hold_id, v.settle_id, s.reach)
        SELECT array_agg(done.id), array_agg(done.post_id), array_agg(done.sharer_id), array_agg(done.author_id),
               array_agg(done.hold_id), array_agg(done.settle_id), array_agg(done.reach)
          INTO ids, post_ids, sharer_ids, author_ids, hold_ids, settle_ids, reaches FROM done;
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
        PERFORM relationships_record_posted(ids, author_ids, sharer_ids, reaches, now());
        PERFORM trust_review_soon(sharer_ids || author_ids);
        RETURN QUERY SELECT unnest(ids);
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM post_transitions WHERE from_status = 'APPROVED' AND to_status = 'REJECTED'`);
    // As migration 1764000500000 wrote it (renamed by 1764000700000).
    await db.query(`
      CREATE OR REPLACE FUNCTION shares_settle_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
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
    await db.query(`DROP FUNCTION trust_review_soon(uuid[])`);
    await db.query(`DROP TRIGGER members_trust_follows_status ON members`);
    await db.query(`DROP FUNCTION trust_follow_status()`);
    await db.query(`DROP TABLE trust_daily_reviews`);
    await db.query(`DROP TABLE trust_reviews_due`);
    await db.query(`DROP TABLE member_trust`);
    await db.query(`DROP FUNCTION relationship_standing(uuid, timestamptz)`);
    await db.query(`DROP FUNCTION relationship_window_change(uuid, timestamptz)`);
    await db.query(`DROP FUNCTION relationship_segment(int, int, timestamptz, timestamptz)`);
    await db.query(`DROP FUNCTION rfm_monetary(bigint)`);
    await db.query(`DROP FUNCTION rfm_frequency(bigint)`);
    await db.query(`DROP FUNCTION rfm_recency(timestamptz, timestamptz)`);
    await db.query(`DROP FUNCTION rfm_recency_floor(int, timestamptz)`);
    await db.query(`DROP FUNCTION relationships_rebuild(timestamptz)`);
    await db.query(`DROP FUNCTION relationships_record_posted(uuid[], uuid[], uuid[], int[], timestamptz)`);
    await db.query(`DROP TABLE relationship_window`);
    await db.query(`DROP TABLE relationship_shares`);
    await db.query(`DROP TABLE relationships`);
    await db.query(`ALTER TABLE shares DROP CONSTRAINT shares_posted_reach`);
    await db.query(`ALTER TABLE shares DROP COLUMN reach`);
  }
}
