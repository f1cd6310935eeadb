import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@sharepool/config';
import { CoreModule, ProcessorsModule } from '@sharepool/runtime';

/** A worker process: the core and the job processors, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config), ProcessorsModule] };
  }
}
