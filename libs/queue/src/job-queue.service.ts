import { getQueueToken } from '@nestjs/bull';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobOptions, Queue } from 'bull';
import { Metrics } from '@sharepool/observability';
import { BullConnections } from './bull-connections.js';
import { JOB_ATTEMPTS, JOB_NAMES, type JobName, type JobPayload } from './job-catalogue.js';

export interface EnqueueOptions {
  /** Bull ignores a second job with the same id while the first still exists. */
  readonly jobId?: string;
  readonly delayMs?: number;
  readonly attempts?: number;
}

/** Typed access to the Bull queues of the job catalogue. */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly queues = new Map<JobName, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly connections: BullConnections,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    // Read from Redis when /metrics is scraped, not on a timer.
    this.metrics.gauge(
      'sharepool_queue_jobs',
      'Jobs per queue and state (waiting, delayed, active, failed…)',
      ['queue', 'state'],
      async (gauge) => {
        gauge.reset();
        for (const { queue, state, count } of await this.depth()) gauge.set({ queue, state }, count);
      },
    );
  }

  /** Lets active jobs finish, then closes the Redis connections. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(JOB_NAMES.map((name) => this.queue(name).close()));
    await this.connections.closeAll();
  }

  queue(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<void> {
    const jobOptions: JobOptions = {
      jobId: options.jobId,
      delay: options.delayMs && options.delayMs > 0 ? Math.round(options.delayMs) : undefined,
      attempts: options.attempts ?? JOB_ATTEMPTS[name],
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    };
    await this.queue(name).add(payload, jobOptions);
  }

  /** Jobs waiting, delayed and active per queue, for /metrics and the admin board. */
  async depth(): Promise<Array<{ queue: JobName; state: string; count: number }>> {
    const rows: Array<{ queue: JobName; state: string; count: number }> = [];
    for (const name of JOB_NAMES) {
      const counts = await this.queue(name).getJobCounts();
      for (const [state, count] of Object.entries(counts)) rows.push({ queue: name, state, count: Number(count) });
    }
    return rows;
  }
}
