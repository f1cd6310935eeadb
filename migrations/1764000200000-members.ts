import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members and what authenticates them: refresh tokens (stored as hashes, rotated
 * in families), partner API keys (stored as peppered HMACs), and niches.
 */
export class Members1764000200000 implements MigrationInterface {
  name = 'Members1764000200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE members (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email            text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
        handle           text NOT NULL CHECK (handle ~ '^[a-z0-9_]{3,30}$'),
        display_name     text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
        bio              text CHECK (length(bio) <= 500),
        role             text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('MEMBER', 'MODERATOR', 'ADMIN')),
        status           text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        password_hash    text NOT NULL,
        suspended_reason text,
        suspended_at     timestamptz,
        suspended_by     uuid REFERENCES members (id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX members_email_key ON members (email)`);
    await db.query(`CREATE UNIQUE INDEX members_handle_key ON members (lower(handle))`);
    await db.query(`CREATE INDEX members_newest_first ON members (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX members_active_admins ON members (id) WHERE role = 'ADMIN' AND status = 'ACTIVE'`);

    await db.query(`
      CREATE TABLE niches (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 2 AND 40),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        created_by uuid REFERENCES members (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE member_niches (
        member_id uuid NOT NULL REFERENCES members (id),
        niche_id  uuid NOT NULL REFERENCES niches (id),
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, niche_id)
      )`);
    await db.query(`CREATE INDEX member_niches_by_niche ON member_niches (niche_id)`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id   uuid NOT NULL REFERENCES members (id),
        family_id   uuid NOT NULL,
        token_hash  bytea NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz
      )`);
    await db.query(
      `COMMENT ON COLUMN refresh_tokens.family_id IS 'all tokens rotated from one login; reuse of a used token revokes the family'`,
    );
    await db.query(`CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_by_member ON refresh_tokens (member_id)`);

    await db.query(`
      CREATE TABLE api_keys (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id    uuid NOT NULL REFERENCES members (id),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        prefix       text NOT NULL,
        secret_hmac  bytea NOT NULL UNIQUE,
        scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['READ', 'SUBMIT', 'SHARE']),
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_by_member ON api_keys (member_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['api_keys', 'refresh_tokens', 'member_niches', 'niches', 'members']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
