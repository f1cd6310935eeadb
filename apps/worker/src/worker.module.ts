import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../../../libs/config/src/index.js';
import { CoreModule } from '../../../libs/runtime/src/index.js';
import { WorkerProcessorsModule } from './worker-processors.module.js';

/** A worker process: the core and the job processors, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config), WorkerProcessorsModule] };
  }
}
