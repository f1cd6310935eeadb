import { Injectable, type OnModuleInit } from '@nestjs/common';
import { entityFields, TransactionRunner, type Tx } from '@sharepool/database';
import { type SharingPause, SharingPausesService } from '@sharepool/moderation';
import { JobQueue, Outbox } from '@sharepool/queue';
import { ShareEntity } from './share.entity.js';

/** How overdue a scheduled share must be before the sweeper assumes its job was lost. */
const OVERDUE_SECONDS = 15;
const BATCH = 500;
/** Why a share whose worker stopped renewing its lease is tried again (the member sees it meanwhile). */
const INTERRUPTED = 'The delivery was interrupted; the post may have gone out';
/** Shares woken by one resume; the sweeper finds the rest. */
const WAKE_BATCH = 1000;
/** Also shares due this soon, at their time: their own job may have run already (a claim takes a share up to a second early). */
const WAKE_AHEAD_SECONDS = 2;

const RETRIED = entityFields(ShareEntity, ['id', 'attempts']);
const WAITING = entityFields(ShareEntity, ['id', 'attempts', 'nextAttemptAt']);

/**
 * Finds shares nothing is working on: posting leases that ran out (the worker
 * died or Redis lost the job) and scheduled shares long overdue. A share whose
 * lease ran out may have been posted, so it goes back as ambiguous and its next
 * try checks before posting again. Wakes, too, the shares a lifted pause held.
 */
@Injectable()
export class ShareSweeper implements OnModuleInit {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobQueue,
    private readonly outbox: Outbox,
    private readonly pauses: SharingPausesService,
  ) {}

  onModuleInit(): void {
    this.pauses.onResume((tx, resumed) => this.wakeAfterResume(tx, resumed));
  }

  async sweep(): Promise<{ expiredLeases: number; overdue: number }> {
    const expired = (
      await this.transactions.query(
        `UPDATE shares SET status = 'SCHEDULED', ambiguous = true, next_attempt_at = now(), lease_token = NULL, lease_expires_at = NULL,
                failure_reason = $1, updated_at = now()
          WHERE id IN (SELECT id FROM shares WHERE status = 'POSTING' AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT ${BATCH}
                       FOR UPDATE SKIP LOCKED)
          RETURNING ${RETRIED.sql('shares')}`,
        [INTERRUPTED],
      )
    ).map((row) => RETRIED.read(row));
    const overdue = (
      await this.transactions.query(
        `SELECT ${WAITING.sql('s')} FROM shares s
          WHERE s.status = 'SCHEDULED' AND s.next_attempt_at < now() - make_interval(secs => ${OVERDUE_SECONDS})
            AND NOT sharing_paused(s.post_id, s.niche_id)
          ORDER BY s.next_attempt_at LIMIT ${BATCH}`,
      )
    ).map((row) => WAITING.read(row));
    for (const share of expired) {
      await this.jobs.add('share.deliver', { shareId: share.id }, { jobId: `deliver:${share.id}:lease:${share.attempts}` });
    }
    // One job per overdue share and period, not one per sweep; a job that was itself lost, failed or
    // stalled on a dead worker is replaced in the next period (Bull refuses a job id it still holds).
    const period = Math.floor(Date.now() / (OVERDUE_SECONDS * 1000));
    for (const share of overdue) {
      await this.jobs.add(
        'share.deliver',
        { shareId: share.id },
        { jobId: `deliver:${share.id}:sweep:${share.attempts}:${share.nextAttemptAt.getTime()}:${period}` },
      );
    }
    return { expiredLeases: expired.length, overdue: overdue.length };
  }

  /**
   * Shares that came due while a pause stood had their delivery job answered
   * "wait": the resume (in its transaction) wakes those it frees now rather
   * than leave them to the sweep, which only picks up shares long overdue. A
   * batch is enough: the sweep still finds any left.
   */
  private async wakeAfterResume(tx: Tx, resumed: SharingPause): Promise<void> {
    const waiting = (
      await tx.query(
        `SELECT ${WAITING.sql('s')} FROM shares s
          WHERE s.status = 'SCHEDULED' AND s.next_attempt_at <= now() + make_interval(secs => ${WAKE_AHEAD_SECONDS})
            AND ($1::text = 'EVERYTHING' OR s.post_id = $2 OR s.niche_id = $3)
            AND NOT sharing_paused(s.post_id, s.niche_id)
          ORDER BY s.next_attempt_at LIMIT ${WAKE_BATCH}`,
        [resumed.scope, resumed.postId, resumed.nicheId],
      )
    ).map((row) => WAITING.read(row));
    for (const { id, nextAttemptAt } of waiting) {
      // Delivery claims a share only when it is due and SCHEDULED, so a second job for it changes nothing.
      await this.outbox.add(tx, 'share.deliver', { shareId: id }, { jobId: `deliver:${id}:resume:${resumed.id}`, runAt: nextAttemptAt });
    }
  }
}
