import { Module } from '@nestjs/common';
import { OutboxRelayProcessor } from './processors/outbox-relay.processor.js';

/** The Bull processors: each job handler calls one domain service method. */
@Module({ providers: [OutboxRelayProcessor] })
export class WorkerProcessorsModule {}
