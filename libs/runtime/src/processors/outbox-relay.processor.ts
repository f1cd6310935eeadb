import { Process, Processor } from '@nestjs/bull';
import { Outbox } from '@sharepool/queue';

/** Dispatches outbox rows that were not handed to Bull right after their commit. */
@Processor('outbox.relay')
export class OutboxRelayProcessor {
  private runs = 0;

  constructor(private readonly outbox: Outbox) {}

  @Process()
  async relay(): Promise<void> {
    // Rows being dispatched by their own commit right now are locked and skipped.
    await this.outbox.dispatch();
    if (++this.runs % 1800 === 0) await this.outbox.prune();
  }
}
