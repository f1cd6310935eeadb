import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@sharepool/database';
import { JobQueue } from '@sharepool/queue';
import { pauseCoversSql } from '@sharepool/moderation';

/** How overdue a scheduled share must be before the sweeper assumes its job was lost. */
const OVERDUE_SECONDS = 15;
const BATCH = 500;
/** Why a share whose worker stopped renewing its lease is tried again (the member sees it meanwhile). */
const INTERRUPTED = 'The delivery was interrupted; the post may have gone out';

/**
 * Finds shares nothing is working on: posting leases that ran out (the worker
 * died or Redis lost the job) and scheduled shares long overdue. A share whose
 * lease ran out may have been posted, so it goes back as ambiguous and its next
 * try checks before posting again.
 */
@Injectable()
export class ShareSweeper {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobQueue,
  ) {}

  async sweep(): Promise<{ expiredLeases: number; overdue: number }> {
    const expired = await this.transactions.query<{ id: string; attempts: number }>(
      `UPDATE shares SET status = 'SCHEDULED', ambiguous = true, next_attempt_at = now(), lease_token = NULL, lease_expires_at = NULL,
              failure_reason = $1, updated_at = now()
        WHERE id IN (SELECT id FROM shares WHERE status = 'POSTING' AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT ${BATCH}
                     FOR UPDATE SKIP LOCKED)
        RETURNING id, attempts`,
      [INTERRUPTED],
    );
    const overdue = await this.transactions.query<{ id: string; attempts: number; due: Date }>(
      `SELECT s.id, s.attempts, s.next_attempt_at AS due FROM shares s
        WHERE s.status = 'SCHEDULED' AND s.next_attempt_at < now() - make_interval(secs => ${OVERDUE_SECONDS})
          AND NOT ${pauseCoversSql('s.post_id', 's.niche_id')}
        ORDER BY s.next_attempt_at LIMIT ${BATCH}`,
    );
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
        { jobId: `deliver:${share.id}:sweep:${share.attempts}:${share.due.getTime()}:${period}` },
      );
    }
    return { expiredLeases: expired.length, overdue: overdue.length };
  }
}
