import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { JobQueue } from '@sharepool/queue';

const RELAY_EVERY_MS = 2000;
/** Tokens due within 10 minutes are refreshed: a run a minute leaves room for a few tries. */
const TOKEN_REFRESH_EVERY_MS = 60_000;
/** Audiences are read once a day per channel, a batch per run. */
const AUDIENCE_CHECK_EVERY_MS = 5 * 60_000;
const MAIL_TICK_EVERY_MS = 60_000;

/** The daily trust review is asked for every hour; the database lets one run a day. */
const DAILY_ASKED_EVERY_MS = 3_600_000;

/**
 * Enqueues the periodic jobs (outbox relay, share sweep, token refresh, audience check, trust reviews). A timer in every
 * worker rather than Bull's repeatable jobs, which live in Redis and would be
 * gone after a Redis restart; the job id of each period makes the workers'
 * timers add one job per period between them.
 */
@Injectable()
export class WorkerTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WorkerTicker');
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.every(RELAY_EVERY_MS, (slot) => this.jobs.add('outbox.relay', {}, { jobId: `relay:${slot}` }));
    this.every(this.config.sweepIntervalSeconds * 1000, (slot) => this.jobs.add('share.sweep', {}, { jobId: `sweep:${slot}` }));
    this.every(TOKEN_REFRESH_EVERY_MS, (slot) => this.jobs.add('channel.refresh-tokens', {}, { jobId: `tokens:${slot}` }));
    this.every(AUDIENCE_CHECK_EVERY_MS, (slot) => this.jobs.add('channel.check-audience', {}, { jobId: `audience:${slot}` }));
    this.every(this.config.trustReviewSeconds * 1000, (slot) => this.jobs.add('trust.review', {}, { jobId: `trust-review:${slot}` }));
    this.every(DAILY_ASKED_EVERY_MS, (slot) => this.jobs.add('trust.daily', {}, { jobId: `trust-daily:${slot}` }));
    this.every(MAIL_TICK_EVERY_MS, (slot) => this.jobs.add('mail.tick', {}, { jobId: `mail-tick:${slot}` }));
  }

  onModuleDestroy(): void {
    this.timers.forEach(clearInterval);
  }

  private every(ms: number, tick: (slot: number) => Promise<void>): void {
    const run = () => tick(Math.floor(Date.now() / ms)).catch((e: Error) => this.logger.warn(`periodic job not enqueued: ${e.message}`));
    void run();
    this.timers.push(setInterval(run, ms));
  }
}
