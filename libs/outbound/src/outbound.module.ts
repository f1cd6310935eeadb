import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { OutboundHttp } from './outbound-http.js';

class OutboundHttpCloser implements OnApplicationShutdown {
  constructor(@Inject(OutboundHttp) private readonly http: OutboundHttp) {}
  async onApplicationShutdown() {
    await this.http.close();
  }
}

/** Provides the one guarded OutboundHttp; OUTBOUND_ALLOW_PRIVATE lifts its address rule. */
@Global()
@Module({
  providers: [
    {
      provide: OutboundHttp,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new OutboundHttp({ allowPrivate: config.outboundAllowPrivate }),
    },
    OutboundHttpCloser,
  ],
  exports: [OutboundHttp],
})
export class OutboundModule {}
