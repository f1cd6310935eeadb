import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channels (a member's social accounts, credentials sealed), shares (one post to
 * one channel, with its delivery state and lease) and reciprocity per pair.
 */
export class Sharing1764000400000 implements MigrationInterface {
  name = 'Sharing1764000400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channels (
        id                 uuid PRIMARY KEY,
        member_id          uuid NOT NULL REFERENCES members (id),
        network            text NOT NULL CHECK (network IN ('WEBHOOK', 'MASTODON', 'BLUESKY', 'X', 'LINKEDIN')),
        handle             text NOT NULL CHECK (length(handle) BETWEEN 1 AND 200),
        audience_size      int NOT NULL DEFAULT 0 CHECK (audience_size >= 0),
        status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'NEEDS_REAUTH', 'DISCONNECTED')),
        status_reason      text,
        credentials_sealed text NOT NULL,
        last_posted_at     timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        disconnected_at    timestamptz
      )`);
    await db.query(`COMMENT ON COLUMN channels.credentials_sealed IS 'AES-256-GCM with the channel id as associated data; never returned'`);
    await db.query(`CREATE INDEX channels_by_member ON channels (member_id, created_at)`);
    await db.query(
      `CREATE UNIQUE INDEX channels_one_connected ON channels (member_id, network, lower(handle)) WHERE status <> 'DISCONNECTED'`,
    );

    await db.query(`
      CREATE TABLE shares (
        id               uuid PRIMARY KEY,
        post_id          uuid NOT NULL REFERENCES posts (id),
        author_id        uuid NOT NULL REFERENCES members (id),
        sharer_id        uuid NOT NULL REFERENCES members (id),
        channel_id       uuid NOT NULL REFERENCES channels (id),
        niche_id         uuid NOT NULL REFERENCES niches (id),
        network          text NOT NULL,
        message          text NOT NULL CHECK (length(message) BETWEEN 1 AND 10000),
        credits          int NOT NULL CHECK (credits > 0),
        hold_id          uuid NOT NULL REFERENCES ledger_transfers (id),
        status           text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'POSTING', 'POSTED', 'FAILED', 'CANCELLED')),
        scheduled_for    timestamptz NOT NULL,
        next_attempt_at  timestamptz NOT NULL,
        attempts         int NOT NULL DEFAULT 0,
        lease_expires_at timestamptz,
        lease_token      uuid,
        ambiguous        boolean NOT NULL DEFAULT false,
        posted_at        timestamptz,
        external_id      text,
        external_url     text,
        failure_reason   text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT shares_not_own_post CHECK (author_id <> sharer_id),
        CONSTRAINT shares_posted CHECK ((status = 'POSTED') = (posted_at IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN shares.ambiguous IS 'the last attempt may have posted: look before posting again'`);
    // A member shares a post at most once per channel (a failed or cancelled share may be tried again).
    await db.query(
      `CREATE UNIQUE INDEX shares_once_per_channel ON shares (post_id, sharer_id, channel_id) WHERE status NOT IN ('FAILED', 'CANCELLED')`,
    );
    await db.query(`CREATE INDEX shares_by_sharer ON shares (sharer_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX shares_by_post ON shares (post_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX shares_by_channel ON shares (channel_id) WHERE status IN ('SCHEDULED', 'POSTING')`);
    await db.query(`CREATE INDEX shares_due ON shares (next_attempt_at) WHERE status = 'SCHEDULED'`);
    await db.query(`CREATE INDEX shares_leased ON shares (lease_expires_at) WHERE status = 'POSTING'`);
    await db.query(`CREATE INDEX shares_posted_by_sharer ON shares (sharer_id, posted_at) WHERE status = 'POSTED'`);
    await db.query(`CREATE INDEX shares_posted_by_author ON shares (author_id, posted_at) WHERE status = 'POSTED'`);

    await db.query(`
      CREATE TABLE reciprocity (
        sharer_id      uuid NOT NULL REFERENCES members (id),
        author_id      uuid NOT NULL REFERENCES members (id),
        shares         int NOT NULL DEFAULT 0 CHECK (shares >= 0),
        last_shared_at timestamptz,
        PRIMARY KEY (sharer_id, author_id)
      )`);
    await db.query(`COMMENT ON TABLE reciprocity IS 'POSTED shares by sharer of author''s posts; kept in the reward transaction'`);
    await db.query(`CREATE INDEX reciprocity_by_author ON reciprocity (author_id, sharer_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reciprocity`);
    await db.query(`DROP TABLE shares`);
    await db.query(`DROP TABLE channels`);
  }
}
