import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connecting channels through the networks' consent pages (OAuth), keeping
 * their tokens fresh, and audiences read from the networks.
 *
 * - channels: the network's own id of the account (a reconnection finds its
 *   channel by it, whatever the handle became), whether the audience was read
 *   from the network, when it was and when it is read next, when the access
 *   token and the refresh token end, and the lease of the one worker refreshing
 *   the tokens (X refresh tokens are single use: two refreshes of one channel
 *   would end its access).
 * - mastodon_apps: Sharepool's app on each Mastodon instance, registered the
 *   first time a member of that instance connects, its secret sealed.
 * - channel_connection_attempts: one started connection (OAuth `state`): only a
 *   hash of the state, the member and browser it belongs to, the sealed PKCE
 *   verifier, where to return, and when it ends (10 minutes, single use).
 */
export class ChannelOauth1764001100000 implements MigrationInterface {
  name = 'ChannelOauth1764001100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE channels
        ADD COLUMN account_id          text CONSTRAINT channels_account_id_length CHECK (length(account_id) <= 500),
        ADD COLUMN audience_verified   boolean NOT NULL DEFAULT false,
        ADD COLUMN audience_checked_at timestamptz,
        ADD COLUMN audience_check_due  timestamptz,
        ADD COLUMN access_expires_at   timestamptz,
        ADD COLUMN refresh_expires_at  timestamptz,
        ADD COLUMN refreshable         boolean NOT NULL DEFAULT false,
        ADD COLUMN refresh_lease       uuid,
        ADD COLUMN refresh_lease_until timestamptz`);
    await db.query(`COMMENT ON COLUMN channels.account_id IS 'the network''s own id of the account (Mastodon: instance origin#id)'`);
    await db.query(`COMMENT ON COLUMN channels.refreshable IS 'the sealed credentials hold a refresh token'`);
    await db.query(`COMMENT ON COLUMN channels.refresh_lease IS 'the worker refreshing the tokens now (until refresh_lease_until)'`);
    await db.query(
      `CREATE UNIQUE INDEX channels_one_account ON channels (member_id, network, account_id)
        WHERE status <> 'DISCONNECTED' AND account_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX channels_tokens_due ON channels (access_expires_at) WHERE status = 'ACTIVE' AND access_expires_at IS NOT NULL`,
    );
    await db.query(`COMMENT ON COLUMN channels.audience_check_due IS 'when the audience is next read from the network (null: at once)'`);
    await db.query(`CREATE INDEX channels_audience_due ON channels (audience_check_due NULLS FIRST) WHERE status = 'ACTIVE'`);

    await db.query(`
      CREATE TABLE mastodon_apps (
        id                   uuid NOT NULL,
        instance_url         text NOT NULL,
        redirect_uri         text NOT NULL,
        scopes               text NOT NULL,
        client_id            text NOT NULL,
        client_secret_sealed text NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT mastodon_apps_pkey PRIMARY KEY (id),
        CONSTRAINT mastodon_apps_one_per_instance UNIQUE (instance_url, redirect_uri, scopes)
      )`);
    await db.query(`COMMENT ON TABLE mastodon_apps IS 'Sharepool''s OAuth app on each Mastodon instance, registered on first use'`);

    await db.query(`
      CREATE TABLE channel_connection_attempts (
        id              uuid NOT NULL,
        state_hash      text NOT NULL,
        member_id       uuid NOT NULL,
        network         text NOT NULL,
        mastodon_app_id uuid,
        browser_hash    text NOT NULL,
        verifier_sealed text,
        return_to       text NOT NULL,
        expires_at      timestamptz NOT NULL,
        used_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT channel_connection_attempts_pkey PRIMARY KEY (id),
        CONSTRAINT channel_connection_attempts_state_key UNIQUE (state_hash),
        CONSTRAINT channel_connection_attempts_member_fkey FOREIGN KEY (member_id) REFERENCES members (id),
        CONSTRAINT channel_connection_attempts_app_fkey FOREIGN KEY (mastodon_app_id) REFERENCES mastodon_apps (id),
        CONSTRAINT channel_connection_attempts_network CHECK (network IN ('MASTODON', 'X', 'LINKEDIN')),
        CONSTRAINT channel_connection_attempts_mastodon_app CHECK ((network = 'MASTODON') = (mastodon_app_id IS NOT NULL)),
        CONSTRAINT channel_connection_attempts_return_to CHECK (length(return_to) BETWEEN 1 AND 500)
      )`);
    await db.query(
      `COMMENT ON TABLE channel_connection_attempts IS 'started OAuth connections: the state is kept as a hash, the PKCE verifier sealed'`,
    );
    await db.query(`CREATE INDEX channel_connection_attempts_expiry ON channel_connection_attempts (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE channel_connection_attempts`);
    await db.query(`DROP TABLE mastodon_apps`);
    await db.query(`DROP INDEX channels_audience_due`);
    await db.query(`DROP INDEX channels_tokens_due`);
    await db.query(`DROP INDEX channels_one_account`);
    await db.query(`
      ALTER TABLE channels
        DROP COLUMN refresh_lease_until,
        DROP COLUMN refresh_lease,
        DROP COLUMN refreshable,
        DROP COLUMN refresh_expires_at,
        DROP COLUMN access_expires_at,
        DROP COLUMN audience_check_due,
        DROP COLUMN audience_checked_at,
        DROP COLUMN audience_verified,
        DROP COLUMN account_id`);
  }
}
