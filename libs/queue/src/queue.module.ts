import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@sharepool/config';
import { BullConnections } from './bull-connections.js';
import { JOB_NAMES } from './job-catalogue.js';
import { JobQueue } from './job-queue.service.js';
import { OutboxEntity } from './outbox.entity.js';
import { Outbox } from './outbox.service.js';

/** The queue lib's tables. */
export const QUEUE_ENTITIES = [OutboxEntity];

@Global()
@Module({ providers: [BullConnections], exports: [BullConnections] })
class BullConnectionsModule {}

/** Bull on Redis with the per-environment key prefix, one queue per job name. */
@Global()
@Module({
  imports: [
    BullConnectionsModule,
    BullModule.forRootAsync({
      imports: [BullConnectionsModule],
      inject: [AppConfig, BullConnections],
      useFactory: (config: AppConfig, connections: BullConnections) => ({
        prefix: config.queuePrefix,
        createClient: (type: 'client' | 'subscriber' | 'bclient') => connections.create(config.redisUrl!, type),
      }),
    }),
    BullModule.registerQueue(...JOB_NAMES.map((name) => ({ name }))),
    TypeOrmModule.forFeature(QUEUE_ENTITIES),
  ],
  providers: [JobQueue, Outbox],
  exports: [BullModule, JobQueue, Outbox],
})
export class QueueModule {}
