import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner, type Tx } from '@sharepool/database';
import { JobQueue, Outbox } from '@sharepool/queue';
import { type MailContent, renderMail } from './mail-template.js';
import { isPermanentMailFailure, MailTransport } from './mail-transport.js';

/** An email to queue: who gets it, what it says, and what makes it one of a kind. */
export interface MailDraft extends MailContent {
  readonly memberId: string | null;
  readonly to: string;
  readonly topic: string;
  /** One email per key: queueing a second with the same key does nothing. */
  readonly dedupeKey?: string;
}

export type SendOutcome = 'SENT' | 'RETRY' | 'FAILED' | 'SKIPPED';

/** How long a sender may hold an email it is sending before another may. */
const LEASE_SECONDS = 120;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 15 * 60_000;
/** How overdue a queued email must be before the sweeper assumes its job was lost. */
const OVERDUE_SECONDS = 30;
const SWEEP_BATCH = 200;
/** Sent (or refused) emails are forgotten after this many days. */
const KEEP_DAYS = 30;

interface EmailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  unsubscribe_url: string;
  attempts: number;
}

/**
 * The email queue. An email is rendered and written in the transaction of
 * what causes it, with its send job (outbox); the job claims the row with a
 * lease, hands it to the mail server and records the outcome. A server that
 * is down or refuses for now moves the next try later (retried for as long as
 * it takes); only a refusal of the message itself (5xx) ends it as FAILED. A
 * worker that dies while sending leaves a lease that runs out, and the
 * sweeper sends it again (mail is at least once; its Message-ID stays the same).
 */
@Injectable()
export class Mailbox {
  private readonly logger = new Logger('Mailbox');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly transport: MailTransport,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
  ) {}

  /** Queues an email in the caller's transaction; returns its id, or null when its dedupe key was used already. */
  async queue(tx: Tx, draft: MailDraft): Promise<string | null> {
    const id = randomUUID();
    const { text, html } = renderMail(draft);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO emails (id, member_id, to_address, topic, subject, text_body, html_body, unsubscribe_url, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [id, draft.memberId, draft.to, draft.topic, draft.subject.slice(0, 300), text, html, draft.unsubscribeUrl, draft.dedupeKey ?? null],
    );
    if (!row) return null;
    await this.outbox.add(tx, 'mail.send', { emailId: id }, { jobId: `mail:${id}` });
    return id;
  }

  /** Sends one queued email if it still has to go (the send job). */
  async send(emailId: string): Promise<SendOutcome> {
    const [email] = await this.transactions.query<EmailRow>(
      `UPDATE emails SET status = 'SENDING', attempts = attempts + 1, lease_expires_at = now() + make_interval(secs => $2)
        WHERE id = $1 AND ((status = 'PENDING' AND next_attempt_at <= now() + interval '1 second')
                           OR (status = 'SENDING' AND lease_expires_at < now()))
        RETURNING id, to_address, subject, text_body, html_body, unsubscribe_url, attempts`,
      [emailId, LEASE_SECONDS],
    );
    if (!email) return 'SKIPPED';
    try {
      await this.transport.send({
        id: email.id,
        to: email.to_address,
        subject: email.subject,
        text: email.text_body,
        html: email.html_body,
        unsubscribeUrl: email.unsubscribe_url,
      });
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      if (isPermanentMailFailure(error)) {
        await this.transactions.query(
          `UPDATE emails SET status = 'FAILED', last_error = $2, lease_expires_at = NULL WHERE id = $1 AND status = 'SENDING'`,
          [email.id, reason],
        );
        this.logger.warn(`the mail server refused email ${email.id} for good: ${reason}`);
        return 'FAILED';
      }
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (email.attempts - 1)) * (0.5 + Math.random() / 2);
      const next = new Date(Date.now() + delay);
      await this.transactions.query(
        `UPDATE emails SET status = 'PENDING', next_attempt_at = $2, last_error = $3, lease_expires_at = NULL
          WHERE id = $1 AND status = 'SENDING'`,
        [email.id, next, reason],
      );
      this.logger.warn(`email ${email.id} not sent (try ${email.attempts}), trying again in ${Math.round(delay / 1000)} s: ${reason}`);
      await this.jobs
        .add('mail.send', { emailId: email.id }, { jobId: `mail:${email.id}:${email.attempts}`, delayMs: delay })
        .catch((e: Error) => this.logger.warn(`retry of email ${email.id} not enqueued, the sweeper will: ${e.message}`));
      return 'RETRY';
    }
    await this.transactions.query(
      `UPDATE emails SET status = 'SENT', sent_at = now(), last_error = NULL, lease_expires_at = NULL WHERE id = $1 AND status = 'SENDING'`,
      [email.id],
    );
    return 'SENT';
  }

  /** Requeues emails whose job was lost (overdue) or whose sender died (lease ran out). */
  async sweep(): Promise<number> {
    const rows = await this.transactions.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM emails
        WHERE (status = 'PENDING' AND next_attempt_at < now() - make_interval(secs => $1))
           OR (status = 'SENDING' AND lease_expires_at < now())
        ORDER BY next_attempt_at LIMIT $2`,
      [OVERDUE_SECONDS, SWEEP_BATCH],
    );
    const period = Math.floor(Date.now() / (OVERDUE_SECONDS * 1000));
    for (const row of rows) {
      await this.jobs.add('mail.send', { emailId: row.id }, { jobId: `mail:${row.id}:sweep:${row.attempts}:${period}` });
    }
    return rows.length;
  }

  /** Forgets emails sent or refused more than 30 days ago (their bodies hold links). */
  async prune(): Promise<number> {
    const { rowCount } = await this.transactions.run((tx) =>
      tx.execute(`DELETE FROM emails WHERE status IN ('SENT', 'FAILED') AND created_at < now() - make_interval(days => $1)`, [KEEP_DAYS]),
    );
    return rowCount;
  }
}
