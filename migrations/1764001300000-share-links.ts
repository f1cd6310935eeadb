import { randomInt } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Tracked short links (libs/links): every share's code, and unique human
 * clicks through it counted per share and day.
 *
 * - share_links: one code per share (PUBLIC_URL/s/<code>), with the facts of
 *   the share that never change (post, niche, sharer, author, network), so the
 *   redirect and the counters need no other table.
 * - link_clicks: clicks per share and UTC day, carrying the post, niche, sharer
 *   and author, so every counter (per share, post, sharer, author, niche, day)
 *   is one indexed read. A day is the finest grain any figure needs; per-hour
 *   rows would be about 24 times as many for nothing that is shown.
 * - link_click_batches: the Redis batches already added to link_clicks, so a
 *   batch applied by one flusher and retried by another counts once. Pruned
 *   after an hour.
 *
 * No table holds an IP address, a user agent or a visitor key.
 */
export class ShareLinks1764001300000 implements MigrationInterface {
  name = 'ShareLinks1764001300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE share_links (
        share_id   uuid PRIMARY KEY,
        code       text NOT NULL,
        post_id    uuid NOT NULL,
        niche_id   uuid NOT NULL,
        sharer_id  uuid NOT NULL,
        author_id  uuid NOT NULL,
        network    text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT share_links_code_shape CHECK (code ~ '^[0-9A-Za-z]{8,32}$'),
        CONSTRAINT share_links_share_fk FOREIGN KEY (share_id) REFERENCES shares (id),
        CONSTRAINT share_links_post_fk FOREIGN KEY (post_id) REFERENCES posts (id)
      )`);
    await db.query(`CREATE UNIQUE INDEX share_links_code ON share_links (code)`);
    await db.query(`CREATE INDEX share_links_by_post ON share_links (post_id)`);

    await db.query(`
      CREATE TABLE link_clicks (
        share_id  uuid NOT NULL,
        day       date NOT NULL,
        post_id   uuid NOT NULL,
        niche_id  uuid NOT NULL,
        sharer_id uuid NOT NULL,
        author_id uuid NOT NULL,
        clicks    int NOT NULL,
        CONSTRAINT link_clicks_pkey PRIMARY KEY (share_id, day),
        CONSTRAINT link_clicks_positive CHECK (clicks > 0),
        CONSTRAINT link_clicks_share_fk FOREIGN KEY (share_id) REFERENCES share_links (share_id)
      ) WITH (fillfactor = 50)`);
    await db.query(`COMMENT ON TABLE link_clicks IS 'unique human visits per share and UTC day; added by the flush from Redis'`);
    // No index holds `clicks`, and pages are left half free: each flush's increments are HOT
    // updates that stay on their page and touch no index, so a busy day does not bloat them.
    await db.query(`CREATE INDEX link_clicks_by_post ON link_clicks (post_id, day)`);
    await db.query(`CREATE INDEX link_clicks_by_author ON link_clicks (author_id, day)`);
    await db.query(`CREATE INDEX link_clicks_by_sharer ON link_clicks (sharer_id, day)`);
    await db.query(`CREATE INDEX link_clicks_by_day ON link_clicks (day)`);

    await db.query(`
      CREATE TABLE link_click_batches (
        id         bigint PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX link_click_batches_by_age ON link_click_batches (applied_at)`);

    // Shares made before links existed get a code too, so every share has a shortUrl.
    const shares: Array<{ id: string }> = await db.query(`SELECT id FROM shares ORDER BY id`);
    const used = new Set<string>();
    for (let i = 0; i < shares.length; i += 1000) {
      const ids = shares.slice(i, i + 1000).map((s) => s.id);
      const codes = ids.map(() => {
        let code: string;
        do code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
        while (used.has(code));
        used.add(code);
        return code;
      });
      await db.query(
        `INSERT INTO share_links (share_id, code, post_id, niche_id, sharer_id, author_id, network, created_at)
         SELECT s.id, c.code, s.post_id, s.niche_id, s.sharer_id, s.author_id, s.network, s.created_at
           FROM unnest($1::uuid[], $2::text[]) AS c(id, code) JOIN shares s ON s.id = c.id`,
        [ids, codes],
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE link_click_batches`);
    await db.query(`DROP TABLE link_clicks`);
    await db.query(`DROP TABLE share_links`);
  }
}
