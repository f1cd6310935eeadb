import { Injectable, Logger } from '@nestjs/common';
import { TransactionRunner, type Tx } from '@sharepool/database';
import type { JobName, JobPayload } from './job-catalogue.js';
import { JobQueue } from './job-queue.service.js';

interface OutboxRow {
  id: string;
  job_name: JobName;
  job_id: string;
  payload: unknown;
  run_at: Date;
}

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
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [name, options.jobId, JSON.stringify(payload), options.runAt ?? new Date()],
    );
    tx.afterCommit(() =>
      this.dispatch([row!.id]).catch((e) => this.logger.warn(`dispatch after commit failed, the relay will retry: ${e.message}`)),
    );
  }

  /** Dispatches pending rows (the given ones, or the oldest `limit`); returns how many. */
  async dispatch(ids?: readonly string[], limit = 500): Promise<number> {
    return this.transactions.run(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        ids
          ? `SELECT id, job_name, job_id, payload, run_at FROM outbox
              WHERE id = ANY($1::bigint[]) AND dispatched_at IS NULL FOR UPDATE SKIP LOCKED`
          : `SELECT id, job_name, job_id, payload, run_at FROM outbox
              WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [ids ?? limit],
      );
      if (rows.length === 0) return 0;
      for (const row of rows) {
        await this.jobs.add(row.job_name, row.payload as never, {
          jobId: row.job_id,
          delayMs: new Date(row.run_at).getTime() - Date.now(),
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
