import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@sharepool/kernel';

/** Makes the one Clock injectable everywhere: the system's, or one a test moves. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
