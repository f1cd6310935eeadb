import { Injectable, Logger } from '@nestjs/common';
import { cursorTimeSql, decodeCursor, keysetPage, TransactionRunner, type Tx } from '@sharepool/database';
import { type Actor, InvalidInputError, type Page, type PageRequest, requireMember, requireSession } from '@sharepool/kernel';
import { Outbox } from '@sharepool/queue';
import {
  EMAIL_CHOICES,
  type EmailChoice,
  NOTIFICATION_KINDS,
  notificationMessage,
  PREFERENCE_TOPICS,
  type PreferenceTopic,
} from './notification-kinds.js';
import { NOTIFICATION_COLUMNS, type NewNotification, type NotificationPreference, type NotificationRecord } from './notification.record.js';

/** How long notifications are kept. */
export const NOTIFICATION_RETENTION_DAYS = 90;
/** The most notifications a member keeps; older ones go first. */
export const MAX_NOTIFICATIONS_PER_MEMBER = 1_000;
/** The most ids one markNotificationsRead may name. */
const MAX_IDS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = Omit<NotificationRecord, 'message'>;
const withMessage = (row: Row): NotificationRecord => ({ ...row, message: notificationMessage(row.kind, row.details ?? {}) });

/**
 * Notifications: written by the lib where the event happens, inside that
 * event's transaction (add), so a member is told exactly when it happened and
 * never about something that was rolled back; read and marked by the member.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Tells a member, in the caller's transaction (the SQL function
   * notification_add decides the email from their preference). Returns its id.
   */
  async add(tx: Tx, notification: NewNotification): Promise<string> {
    const [row] = await tx.query<{ id: string; outboxId: number | null }>(
      `SELECT id, outbox_id AS "outboxId" FROM notification_add($1, $2, $3, $4, $5, $6)`,
      [
        notification.memberId,
        notification.kind,
        notification.postId ?? null,
        notification.shareId ?? null,
        notification.peerId ?? null,
        JSON.stringify(notification.details ?? {}),
      ],
    );
    if (row!.outboxId) {
      const outboxId = row!.outboxId;
      tx.afterCommit(() =>
        this.outbox.dispatch([outboxId]).catch((e: Error) => this.logger.warn(`email job not dispatched, the relay will: ${e.message}`)),
      );
    }
    return row!.id;
  }

  /** Whether a notification of `kind` about `postId` was written for the member since `hours` ago. */
  async toldLately(tx: Tx, memberId: string, kind: NewNotification['kind'], postId: string, hours: number): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM notifications WHERE member_id = $1 AND kind = $2 AND post_id = $3 AND created_at > now() - make_interval(hours => $4) LIMIT 1`,
      [memberId, kind, postId, hours],
    );
    return rows.length > 0;
  }

  /** The actor's notifications, newest first. */
  async list(actor: Actor, page: PageRequest, unreadOnly: boolean): Promise<Page<NotificationRecord>> {
    const me = requireMember(actor, 'READ');
    const after = page.after ? decodeCursor(page.after, ['date', 'string']) : null;
    const where = `n.member_id = $1 AND (NOT $2::boolean OR n.read_at IS NULL)`;
    const rows = await this.transactions.query<Row & { cursorTime: string }>(
      `SELECT ${NOTIFICATION_COLUMNS}, ${cursorTimeSql('n.created_at')} AS "cursorTime" FROM notifications n
        WHERE ${where} AND ($3::timestamptz IS NULL OR (n.created_at, n.id) < ($3::timestamptz, $4::uuid))
        ORDER BY n.created_at DESC, n.id DESC LIMIT $5`,
      [me.memberId, unreadOnly, after?.[0] ?? null, after?.[1] ?? null, page.first + 1],
    );
    const built = keysetPage(
      rows,
      page,
      (n) => [n.cursorTime, n.id],
      async () =>
        Number(
          (
            await this.transactions.query<{ n: number }>(`SELECT count(*) AS n FROM notifications n WHERE ${where}`, [
              me.memberId,
              unreadOnly,
            ])
          )[0]!.n,
        ),
    );
    return { ...built, items: built.items.map(withMessage) };
  }

  async unreadCount(actor: Actor): Promise<number> {
    const me = requireMember(actor, 'READ');
    const [row] = await this.transactions.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE member_id = $1 AND read_at IS NULL`,
      [me.memberId],
    );
    return row!.n;
  }

  /** Marks the given notifications of the actor's, or all of them, as read; returns how many changed. */
  async markRead(actor: Actor, input: { ids?: readonly string[] | null; all?: boolean | null }): Promise<number> {
    const me = requireMember(actor, 'READ');
    const ids = input.ids ?? [];
    if (!input.all && ids.length === 0) throw new InvalidInputError('ids', 'Give the ids to mark as read, or all: true');
    if (ids.length > MAX_IDS) throw new InvalidInputError('ids', `Mark at most ${MAX_IDS} notifications at once (or all: true)`);
    if (ids.some((id) => !UUID.test(id))) throw new InvalidInputError('ids', 'ids are Notification ids');
    const { rowCount } = await this.transactions.run((tx) =>
      tx.execute(
        `UPDATE notifications SET read_at = now()
          WHERE member_id = $1 AND read_at IS NULL AND ($2::boolean OR id = ANY($3::uuid[]))`,
        [me.memberId, input.all === true, ids],
      ),
    );
    return rowCount;
  }

  /** Notifications by id, in one query (for loaders and live events); visibility is isVisible. */
  async findByIds(ids: readonly string[]): Promise<NotificationRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.transactions.query<Row>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.id = ANY($1::uuid[])`, [
      ids,
    ]);
    return rows.map(withMessage);
  }

  /** A notification is its member's only. */
  isVisible(actor: Actor, notification: NotificationRecord): boolean {
    return actor.kind === 'member' && actor.memberId === notification.memberId;
  }

  /** The actor's email choice for every kind (their own or the default). */
  async preferences(actor: Actor): Promise<NotificationPreference[]> {
    const me = requireMember(actor, 'READ');
    return this.preferencesOf(me.memberId, PREFERENCE_TOPICS);
  }

  async preferencesOf(memberId: string, topics: readonly PreferenceTopic[]): Promise<NotificationPreference[]> {
    return this.transactions.query<NotificationPreference>(
      `SELECT t.kind, coalesce(p.email, notification_email_default(t.kind)) AS email
         FROM unnest($2::text[]) WITH ORDINALITY AS t(kind, i)
         LEFT JOIN notification_preferences p ON p.member_id = $1 AND p.kind = t.kind
        ORDER BY t.i`,
      [memberId, topics],
    );
  }

  /** Sets how the actor wants `kind` by email. ACCOUNT notices are INSTANT or NEVER. */
  async setPreference(actor: Actor, kind: PreferenceTopic, email: EmailChoice): Promise<NotificationPreference> {
    const me = requireSession(actor);
    if (!PREFERENCE_TOPICS.includes(kind)) throw new InvalidInputError('kind', 'Not a notification kind');
    if (!EMAIL_CHOICES.includes(email)) throw new InvalidInputError('email', 'email is INSTANT, DAILY or NEVER');
    if (kind === 'ACCOUNT' && email === 'DAILY') throw new InvalidInputError('email', 'Account notices go at once or not at all');
    await this.transactions.run((tx) => this.choose(tx, me.memberId, [kind], email));
    return { kind, email };
  }

  /**
   * Sets the email choice of `topics` for a member (an unsubscribe link acts
   * for the member it was sent to, without a session). Notifications still
   * waiting for an email of a topic turned off never get one.
   */
  async choose(tx: Tx, memberId: string, topics: readonly PreferenceTopic[], email: EmailChoice): Promise<void> {
    await tx.query(
      `INSERT INTO notification_preferences (member_id, kind, email) SELECT $1, t, $3 FROM unnest($2::text[]) t
       ON CONFLICT (member_id, kind) DO UPDATE SET email = excluded.email, updated_at = now()`,
      [memberId, topics, email],
    );
    if (email === 'NEVER') {
      await tx.query(
        `UPDATE notifications SET email_status = 'NONE' WHERE member_id = $1 AND kind = ANY($2::text[]) AND email_status IN ('INSTANT', 'DAILY')`,
        [memberId, topics],
      );
    }
  }

  /** The kinds a member gets in the daily digest now (their own choice or the default). */
  async dailyKinds(memberId: string): Promise<PreferenceTopic[]> {
    return (await this.preferencesOf(memberId, NOTIFICATION_KINDS)).filter((p) => p.email === 'DAILY').map((p) => p.kind);
  }

  /**
   * A notification waiting for its email at once, locked for the caller's
   * transaction; null when it is not (already sent, or turned off meanwhile).
   */
  async lockForInstantEmail(tx: Tx, id: string): Promise<NotificationRecord | null> {
    const [row] = await tx.query<Row>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.id = $1 AND n.email_status = 'INSTANT' FOR UPDATE`,
      [id],
    );
    return row ? withMessage(row) : null;
  }

  /** Members whose oldest notification waiting for the daily digest is at least a day old. */
  async membersWithDueDigest(limit: number): Promise<string[]> {
    const rows = await this.transactions.query<{ memberId: string }>(
      `SELECT member_id AS "memberId" FROM notifications WHERE email_status = 'DAILY'
        GROUP BY member_id HAVING min(created_at) <= now() - interval '1 day' ORDER BY min(created_at) LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.memberId);
  }

  /** A member's notifications waiting for the digest, locked: the oldest `limit` of them, and the ids of all, oldest first. */
  async lockDigest(tx: Tx, memberId: string, limit: number): Promise<{ items: NotificationRecord[]; ids: string[] }> {
    const rows = await tx.query<Row>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.member_id = $1 AND n.email_status = 'DAILY'
        ORDER BY n.created_at, n.id FOR UPDATE`,
      [memberId],
    );
    return { items: rows.slice(0, limit).map(withMessage), ids: rows.map((r) => r.id) };
  }

  /** Records that these notifications' email went (or is queued to go). */
  async markEmailed(tx: Tx, ids: readonly string[]): Promise<void> {
    await tx.query(`UPDATE notifications SET email_status = 'SENT' WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Records that these notifications get no email after all (the address is not verified, or the member is gone). */
  async markNotEmailed(tx: Tx, ids: readonly string[]): Promise<void> {
    await tx.query(`UPDATE notifications SET email_status = 'NONE' WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Forgets notifications older than 90 days, and a member's beyond their newest 1,000. */
  async prune(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const old = await tx.execute(
        `DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE created_at < now() - make_interval(days => $1) LIMIT 10000)`,
        [NOTIFICATION_RETENTION_DAYS],
      );
      const excess = await tx.execute(
        `DELETE FROM notifications n USING (
           SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY member_id ORDER BY created_at DESC, id DESC) AS nth
                             FROM notifications WHERE member_id IN (SELECT member_id FROM notifications GROUP BY member_id HAVING count(*) > $1)) r
            WHERE r.nth > $1) x
         WHERE n.id = x.id`,
        [MAX_NOTIFICATIONS_PER_MEMBER],
      );
      return old.rowCount + excess.rowCount;
    });
  }
}
