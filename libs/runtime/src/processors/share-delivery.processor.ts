import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '@sharepool/config';
import type { JobPayload } from '@sharepool/queue';
import { ShareDeliveryService } from '@sharepool/sharing';

/** Delivers shares, WORKER_CONCURRENCY at a time per worker process. */
@Injectable()
export class ShareDeliveryProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly delivery: ShareDeliveryService,
    private readonly config: AppConfig,
    @InjectQueue('share.deliver') private readonly queue: Queue<JobPayload<'share.deliver'>>,
  ) {}

  onApplicationBootstrap(): void {
    // Registered here rather than with @Process: the concurrency comes from the configuration.
    void this.queue.process(this.config.workerConcurrency, (job: Job<JobPayload<'share.deliver'>>) =>
      this.delivery.deliver(job.data.shareId, { recordLater: true }),
    );
  }
}
