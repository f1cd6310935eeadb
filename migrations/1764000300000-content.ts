import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posts members submit for peers to share, their life cycle (as a transition
 * table the database enforces too), and the admins' pauses of sharing.
 * A post's budget lives in the ledger: its escrow account has the post's id.
 */
export class Content1764000300000 implements MigrationInterface {
  name = 'Content1764000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE posts (
        id                uuid PRIMARY KEY,
        author_id         uuid NOT NULL REFERENCES members (id),
        niche_id          uuid NOT NULL REFERENCES niches (id),
        url               text NOT NULL CHECK (length(url) <= 2048),
        title             text CHECK (length(title) <= 200),
        summary           text CHECK (length(summary) <= 500),
        image_url         text CHECK (length(image_url) <= 2048),
        suggested_message text CHECK (length(suggested_message) <= 3000),
        credits_per_share int NOT NULL CHECK (credits_per_share BETWEEN 1 AND 100),
        status            text NOT NULL DEFAULT 'PENDING_REVIEW' CHECK (status IN ('PENDING_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
        rejection_reason  text CHECK (length(rejection_reason) <= 500),
        moderated_by      uuid REFERENCES members (id),
        moderated_at      timestamptz,
        preview_status    text NOT NULL DEFAULT 'PENDING' CHECK (preview_status IN ('PENDING', 'DONE', 'FAILED')),
        preview_error     text,
        posted_share_count int NOT NULL DEFAULT 0 CHECK (posted_share_count >= 0),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT posts_rejection_reason CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN posts.title IS 'null until the member or the page preview gives one'`);
    await db.query(`COMMENT ON COLUMN posts.posted_share_count IS 'shares that reached POSTED, kept in the reward transaction'`);
    // One active (pending or approved) post per author and page.
    await db.query(`CREATE UNIQUE INDEX posts_active_url ON posts (author_id, url) WHERE status IN ('PENDING_REVIEW', 'APPROVED')`);
    await db.query(`CREATE INDEX posts_by_author ON posts (author_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX posts_review_queue ON posts (created_at, id) WHERE status = 'PENDING_REVIEW'`);
    await db.query(
      `CREATE INDEX posts_feed_order ON posts (niche_id, credits_per_share DESC, created_at DESC, id DESC) WHERE status = 'APPROVED'`,
    );
    await db.query(
      `CREATE INDEX posts_feed_by_author ON posts (author_id, niche_id, credits_per_share DESC, created_at DESC, id DESC) WHERE status = 'APPROVED'`,
    );

    // The life cycle as data: any other change of status is refused, whoever writes.
    await db.query(`
      CREATE TABLE post_transitions (
        from_status text NOT NULL,
        to_status   text NOT NULL,
        PRIMARY KEY (from_status, to_status)
      )`);
    await db.query(`
      INSERT INTO post_transitions VALUES
        ('PENDING_REVIEW', 'APPROVED'), ('PENDING_REVIEW', 'REJECTED'), ('PENDING_REVIEW', 'WITHDRAWN'), ('APPROVED', 'WITHDRAWN')`);
    await db.query(`
      CREATE FUNCTION posts_check_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
          SELECT 1 FROM post_transitions WHERE from_status = OLD.status AND to_status = NEW.status
        ) THEN
          RAISE EXCEPTION 'a post cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'SPPT1';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER posts_transition BEFORE UPDATE OF status ON posts FOR EACH ROW EXECUTE FUNCTION posts_check_transition()`,
    );

    await db.query(`
      CREATE TABLE sharing_pauses (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        scope         text NOT NULL CHECK (scope IN ('POST', 'NICHE', 'EVERYTHING')),
        post_id       uuid REFERENCES posts (id),
        niche_id      uuid REFERENCES niches (id),
        reason        text NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
        paused_by     uuid REFERENCES members (id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        resumed_at    timestamptz,
        resumed_by    uuid REFERENCES members (id),
        resume_reason text,
        CONSTRAINT sharing_pauses_target CHECK (
          (scope = 'POST') = (post_id IS NOT NULL) AND (scope = 'NICHE') = (niche_id IS NOT NULL))
      )`);
    await db.query(`
      CREATE UNIQUE INDEX sharing_pauses_one_active ON sharing_pauses
        (scope, coalesce(post_id, niche_id, '00000000-0000-0000-0000-000000000000')) WHERE resumed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sharing_pauses`);
    await db.query(`DROP TABLE posts`);
    await db.query(`DROP FUNCTION posts_check_transition()`);
    await db.query(`DROP TABLE post_transitions`);
  }
}
