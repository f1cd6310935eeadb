import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'POST_APPROVED', 'POST_REJECTED', 'POST_SHARED', 'SHARE_POSTED', 'SHARE_FAILED', 'CHANNEL_NEEDS_REAUTH', 'CREDITS_ADJUSTED', 'BUDGET_LOW', 'TRUST_LEVEL_CHANGED'`;

/**
 * Notifications (in the app and by email), the email queue, verified email
 * addresses, and the live events API processes push to subscribers.
 *
 * - notifications: what happened to a member, written in the transaction of
 *   the event itself, through notification_add (the one place that also decides,
 *   from the member's preference, whether an email goes at once, in the daily
 *   digest, or never; an email to send at once is an outbox job of that same
 *   transaction).
 * - notification_preferences: a member's choice per kind (and ACCOUNT: notices
 *   about their account's security); a kind without a row has its default
 *   (notification_email_default).
 * - emails: every email Sharepool sends, rendered, with its delivery state: the
 *   database decides what was sent; a send job claims a row with a lease.
 * - members.email_verified_at: when the member proved the address (members
 *   who existed before count as verified).
 * - shares_record_posted now also tells the sharer and the author, in the
 *   same statement that records the shares; a channel marked NEEDS_REAUTH tells
 *   its owner (a trigger: several writers mark channels so).
 * - Live events on the channel `sharepool_live`, ids only: `share:<id>:<sharer>:<author>`
 *   when a share is made or its status changes, `notification:<member>:<id>`,
 *   `queue:<post id>` when a post enters or leaves the review queue.
 */
export class Notifications1764001400000 implements MigrationInterface {
  name = 'Notifications1764001400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE members ADD COLUMN email_verified_at timestamptz`);
    await db.query(`UPDATE members SET email_verified_at = created_at`);

    await db.query(`
      CREATE TABLE notifications (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id    uuid NOT NULL REFERENCES members (id),
        kind         text NOT NULL CHECK (kind IN (${KINDS})),
        post_id      uuid,
        share_id     uuid,
        peer_id      uuid,
        details      jsonb NOT NULL DEFAULT '{}',
        email_status text NOT NULL CHECK (email_status IN ('NONE', 'INSTANT', 'DAILY', 'SENT')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        read_at      timestamptz
      )`);
    await db.query(
      `COMMENT ON COLUMN notifications.details IS 'facts at the time of the event (post title, peer handle, reason, amount): the message is made from them'`,
    );
    await db.query(
      `COMMENT ON COLUMN notifications.email_status IS 'INSTANT or DAILY: an email is still to go; SENT: it went; NONE: never'`,
    );
    await db.query(`CREATE INDEX notifications_by_member ON notifications (member_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX notifications_daily ON notifications (member_id, created_at) WHERE email_status = 'DAILY'`);
    await db.query(`CREATE INDEX notifications_by_age ON notifications (created_at)`);

    await db.query(`
      CREATE TABLE notification_preferences (
        member_id  uuid NOT NULL REFERENCES members (id),
        kind       text NOT NULL CHECK (kind IN (${KINDS}, 'ACCOUNT')),
        email      text NOT NULL CHECK (email IN ('INSTANT', 'DAILY', 'NEVER')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, kind)
      )`);

    await db.query(`
      CREATE TABLE emails (
        id               uuid PRIMARY KEY,
        member_id        uuid REFERENCES members (id),
        to_address       text NOT NULL CHECK (length(to_address) <= 254),
        topic            text NOT NULL,
        subject          text NOT NULL CHECK (length(subject) <= 300),
        text_body        text NOT NULL,
        html_body        text NOT NULL,
        unsubscribe_url  text NOT NULL,
        dedupe_key       text UNIQUE,
        status           text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
        attempts         int NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        lease_expires_at timestamptz,
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        CONSTRAINT emails_sent CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN emails.dedupe_key IS 'one email per event: a second try to write it finds the first'`);
    await db.query(`CREATE INDEX emails_due ON emails (next_attempt_at) WHERE status IN ('PENDING', 'SENDING')`);
    await db.query(`CREATE INDEX emails_by_age ON emails (created_at)`);

    // The default email delivery of each kind: failures and reconnects at once, the rest in the daily digest.
    await db.query(`
      CREATE FUNCTION notification_email_default(p_kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN p_kind IN ('SHARE_FAILED', 'CHANNEL_NEEDS_REAUTH', 'ACCOUNT') THEN 'INSTANT' ELSE 'DAILY' END
      $$`);

    // Writes notifications in the caller's transaction (the n-th of each array together), each with
    // its email as its member wants it; an email to send at once is an outbox job of the same
    // transaction. Returns each notification's id and that job's outbox row, if any.
    await db.query(`
      CREATE FUNCTION notifications_add(p_members uuid[], p_kinds text[], p_posts uuid[], p_shares uuid[], p_peers uuid[],
                                        p_details jsonb[])
      RETURNS TABLE (id uuid, outbox_id bigint) LANGUAGE sql AS $$
        WITH added AS (
          INSERT INTO notifications (member_id, kind, post_id, share_id, peer_id, details, email_status)
          SELECT n.member_id, n.kind, n.post_id, n.share_id, n.peer_id, coalesce(n.details, '{}'),
                 CASE coalesce(np.email, notification_email_default(n.kind)) WHEN 'NEVER' THEN 'NONE'
                      ELSE coalesce(np.email, notification_email_default(n.kind)) END
            FROM unnest(p_members, p_kinds, p_posts, p_shares, p_peers, p_details) AS n(member_id, kind, post_id, share_id, peer_id, details)
            LEFT JOIN notification_preferences np ON np.member_id = n.member_id AND np.kind = n.kind
          RETURNING notifications.id, notifications.email_status),
        mailed AS (
          INSERT INTO outbox (job_name, job_id, payload)
          SELECT 'notification.email', 'notification-email:' || a.id, jsonb_build_object('notificationId', a.id)
            FROM added a WHERE a.email_status = 'INSTANT'
          RETURNING outbox.id AS outbox_id, (outbox.payload ->> 'notificationId')::uuid AS notification_id)
        SELECT a.id, m.outbox_id FROM added a LEFT JOIN mailed m ON m.notification_id = a.id
      $$`);
    await db.query(`
      CREATE FUNCTION notification_add(p_member uuid, p_kind text, p_post uuid, p_share uuid, p_peer uuid, p_details jsonb,
                                       OUT id uuid, OUT outbox_id bigint)
      LANGUAGE sql AS $$
        SELECT * FROM notifications_add(ARRAY[p_member], ARRAY[p_kind], ARRAY[p_post], ARRAY[p_share], ARRAY[p_peer], ARRAY[p_details])
      $$`);

    // Recording posted shares also tells each sharer that their share is live and each author who shared their post.
    await db.query(`
      CREATE OR REPLACE FUNCTION shares_record_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
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
        PERFORM notifications_add(array_agg(n.member_id), array_agg(n.kind), array_agg(n.post_id), array_agg(n.share_id),
                                  array_agg(n.peer_id), array_agg(n.details))
           FROM (SELECT s.sharer_id AS member_id, 'SHARE_POSTED'::text AS kind, s.post_id, s.id AS share_id, s.author_id AS peer_id,
                        jsonb_build_object('postTitle', coalesce(p.title, left(regexp_replace(p.url, '^https?://', ''), 200)), 'peerHandle', a.handle, 'credits', s.credits,
                                           'network', s.network) AS details
                   FROM shares s JOIN posts p ON p.id = s.post_id JOIN members a ON a.id = s.author_id
                  WHERE s.id = ANY (recorded)
                 UNION ALL
                 SELECT s.author_id, 'POST_SHARED', s.post_id, s.id, s.sharer_id,
                        jsonb_build_object('postTitle', coalesce(p.title, left(regexp_replace(p.url, '^https?://', ''), 200)), 'peerHandle', m.handle, 'credits', s.credits,
                                           'network', s.network)
                   FROM shares s JOIN posts p ON p.id = s.post_id JOIN members m ON m.id = s.sharer_id
                  WHERE s.id = ANY (recorded)
                  ORDER BY 4, 2) n;
        RETURN QUERY SELECT unnest(recorded);
      END $$`);

    // A channel that stops working tells its owner once, whoever marks it (a delivery, the token
    // refresher, the audience check): in the same transaction, from the row itself.
    await db.query(`
      CREATE FUNCTION channels_tell_needs_reauth() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM notification_add(NEW.member_id, 'CHANNEL_NEEDS_REAUTH', NULL, NULL, NULL,
          jsonb_build_object('network', NEW.network, 'channelHandle', NEW.handle, 'reason', NEW.status_reason));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER channels_needs_reauth AFTER UPDATE OF status ON channels FOR EACH ROW
      WHEN (OLD.status = 'ACTIVE' AND NEW.status = 'NEEDS_REAUTH') EXECUTE FUNCTION channels_tell_needs_reauth()`);

    await db.query(`
      CREATE FUNCTION notify_live() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'shares' THEN
          PERFORM pg_notify('sharepool_live', 'share:' || NEW.id || ':' || NEW.sharer_id || ':' || NEW.author_id);
        ELSIF TG_TABLE_NAME = 'notifications' THEN
          PERFORM pg_notify('sharepool_live', 'notification:' || NEW.member_id || ':' || NEW.id);
        ELSE
          PERFORM pg_notify('sharepool_live', 'queue:' || NEW.id);
        END IF;
        RETURN NULL;
      END $$`);
    for (const [name, definition] of LIVE_TRIGGERS) await db.query(`CREATE TRIGGER ${name} ${definition}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [name] of [...LIVE_TRIGGERS].reverse()) await db.query(`DROP TRIGGER ${name} ON ${name.split('_live')[0]}`);
    await db.query(`DROP FUNCTION notify_live()`);
    await db.query(`DROP TRIGGER channels_needs_reauth ON channels`);
    await db.query(`DROP FUNCTION channels_tell_needs_reauth()`);
    // shares_record_posted as 1764000700000 made it.
    await db.query(`
      CREATE OR REPLACE FUNCTION shares_record_posted(p_ids uuid[], p_external_ids text[], p_external_urls text[],
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
    await db.query(`DROP FUNCTION notification_add(uuid, text, uuid, uuid, uuid, jsonb)`);
    await db.query(`DROP FUNCTION notifications_add(uuid[], text[], uuid[], uuid[], uuid[], jsonb[])`);
    await db.query(`DROP FUNCTION notification_email_default(text)`);
    await db.query(`DELETE FROM outbox WHERE job_name IN ('notification.email', 'mail.send', 'mail.tick')`);
    await db.query(`DROP TABLE emails`);
    await db.query(`DROP TABLE notification_preferences`);
    await db.query(`DROP TABLE notifications`);
    await db.query(`ALTER TABLE members DROP COLUMN email_verified_at`);
  }
}

/** [name, definition]; each name starts with its table's. */
const LIVE_TRIGGERS: Array<[string, string]> = [
  ['shares_live_made', `AFTER INSERT ON shares FOR EACH ROW EXECUTE FUNCTION notify_live()`],
  [
    'shares_live_status',
    `AFTER UPDATE OF status ON shares FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION notify_live()`,
  ],
  ['notifications_live_added', `AFTER INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION notify_live()`],
  ['posts_live_queue_added', `AFTER INSERT ON posts FOR EACH ROW WHEN (NEW.status = 'PENDING_REVIEW') EXECUTE FUNCTION notify_live()`],
  [
    'posts_live_queue_left',
    `AFTER UPDATE OF status ON posts FOR EACH ROW WHEN (OLD.status = 'PENDING_REVIEW' AND NEW.status <> 'PENDING_REVIEW')
     EXECUTE FUNCTION notify_live()`,
  ],
];
