import { Injectable, Logger } from '@nestjs/common';
import { entityFields, TransactionRunner, type Tx } from '@sharepool/database';
import type { JobName, JobPayload } from './job-catalogue.js';
import { JobQueue } from './job-queue.service.js';
import { OutboxEntity } from './outbox.entity.js';

/** What dispatching a row needs. */
const PENDING_JOB = entityFields(OutboxEntity, ['id', 'jobName', 'jobId', 'payload', 'runAt']);

/**
 * The transactional outbox: a job is written in the same transaction as the
 * state it acts on, handed to Bull right after commit, and re-dispatched by the
 * relay if the process died in between. Nothing committed is left without a job.
 */
@Injectable()
export class Outbox {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobQueue,
  ) {}

  async add<N extends JobName>(tx: Tx, name: N, payload: JobPayload<N>, options: { jobId: string; runAt?: Date }): Promise<void> {
    const [row] = await tx.query<Pick<OutboxEntity, 'id'>>(
      `INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [name, options.jobId, JSON.stringify(payload), options.runAt ?? new Date()],
    );
    tx.afterCommit(() =>
      this.dispatch([row!.id]).catch((e) => this.logger.warn(`dispatch after commit failed, the relay will retry: ${e.message}`)),
    );
  }

  /** Dispatches pending rows (the given ones, or the oldest `limit`); returns how many. */
  async dispatch(ids?: readonly number[], limit = 500): Promise<number> {
    return this.transactions.run(async (tx) => {
      const rows = (
        await tx.query(
          ids
            ? `SELECT ${PENDING_JOB.sql('o')} FROM outbox o
                WHERE o.id = ANY($1::bigint[]) AND o.dispatched_at IS NULL FOR UPDATE SKIP LOCKED`
            : `SELECT ${PENDING_JOB.sql('o')} FROM outbox o
                WHERE o.dispatched_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [ids ?? limit],
        )
      ).map((row) => PENDING_JOB.read(row));
      if (rows.length === 0) return 0;
      for (const row of rows) {
        // The payload was written by add() for this job name.
        await this.jobs.add(row.jobName, row.payload as never, {
          jobId: row.jobId,
          delayMs: row.runAt.getTime() - Date.now(),
        });
      }
      await tx.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Forgets rows dispatched more than a day ago. */
  async prune(): Promise<number> {
    return this.transactions.run(
      async (tx) => (await tx.execute(`DELETE FROM outbox WHERE dispatched_at < now() - interval '1 day'`)).rowCount,
    );
  }
}
