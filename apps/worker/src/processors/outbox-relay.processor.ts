import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { Outbox } from '../../../../libs/queue/src/index.js';

const RELAY_EVERY_MS = 2000;

/** Dispatches outbox rows that were not handed to Bull right after their commit. */
@Processor('outbox.relay')
export class OutboxRelayProcessor implements OnApplicationBootstrap {
  private runs = 0;

  constructor(
    private readonly outbox: Outbox,
    @InjectQueue('outbox.relay') private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add({}, { repeat: { every: RELAY_EVERY_MS }, jobId: 'outbox.relay', removeOnComplete: true, removeOnFail: true });
  }

  @Process()
  async relay(): Promise<void> {
    // Rows being dispatched by their own commit right now are locked and skipped.
    await this.outbox.dispatch();
    if (++this.runs % 1800 === 0) await this.outbox.prune();
  }
}
