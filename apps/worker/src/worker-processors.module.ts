import { Module } from '@nestjs/common';
import { ContentModule } from '../../../libs/content/src/index.js';
import { SharingModule } from '../../../libs/sharing/src/index.js';
import { OutboxRelayProcessor } from './processors/outbox-relay.processor.js';
import { PostUnfurlProcessor } from './processors/post-unfurl.processor.js';
import { ShareDeliveryProcessor } from './processors/share-delivery.processor.js';
import { ShareSweepProcessor } from './processors/share-sweep.processor.js';
import { WorkerDrain } from './worker-drain.js';
import { WorkerTicker } from './worker-ticker.js';

/** The Bull processors: each job handler calls one domain service method. */
@Module({
  imports: [ContentModule, SharingModule],
  providers: [OutboxRelayProcessor, PostUnfurlProcessor, ShareDeliveryProcessor, ShareSweepProcessor, WorkerTicker, WorkerDrain],
})
export class WorkerProcessorsModule {}
