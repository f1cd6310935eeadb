import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { JOB_NAMES, JobQueue } from '@sharepool/queue';
import { ShareDeliveryService } from '@sharepool/sharing';

/**
 * Graceful shutdown of the processors: on SIGTERM every queue stops handing
 * this process jobs at once, and shutdown waits for the jobs in flight to end.
 * It runs before the shutdown hooks that close Redis and the database, so a
 * delivery in flight can still record its outcome; a job left in the queue
 * is taken by another worker. (Bull ends a fetch already waiting in Redis
 * within half a second; a job arriving in that moment is still run here.)
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerDrain');

  constructor(
    private readonly jobs: JobQueue,
    private readonly delivery: ShareDeliveryService,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const started = Date.now();
    // A local pause: other workers go on taking jobs from the shared queues.
    const drained = Promise.all(JOB_NAMES.map((name) => this.jobs.queue(name).pause(true)));
    this.logger.log('no longer taking jobs; waiting for those in flight');
    await drained;
    // Posts the networks accepted are recorded in batches after their jobs end: those last ones too.
    await this.delivery.recorded();
    this.logger.log(`the jobs in flight finished in ${Date.now() - started} ms`);
  }
}
