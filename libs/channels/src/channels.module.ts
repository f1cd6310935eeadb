import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@sharepool/config';
import { OutboundHttp } from '@sharepool/outbound';
import { ChannelEntity } from './channel.entity.js';
import { ChannelsService } from './channels.service.js';
import { CredentialCipher } from './credential-cipher.js';
import { NetworkAdapters } from './networks/network-adapters.js';

/** The channels lib's tables. */
export const CHANNELS_ENTITIES = [ChannelEntity];

@Module({
  imports: [TypeOrmModule.forFeature(CHANNELS_ENTITIES)],
  providers: [
    ChannelsService,
    { provide: CredentialCipher, inject: [AppConfig], useFactory: (config: AppConfig) => CredentialCipher.fromConfig(config) },
    {
      provide: NetworkAdapters,
      inject: [AppConfig, OutboundHttp],
      useFactory: (config: AppConfig, http: OutboundHttp) =>
        NetworkAdapters.create({
          http,
          ...(config.xApiBaseUrl ? { x: { apiBaseUrl: config.xApiBaseUrl } } : {}),
          ...(config.linkedInApiBaseUrl ? { linkedIn: { apiBaseUrl: config.linkedInApiBaseUrl } } : {}),
        }),
    },
  ],
  exports: [ChannelsService, CredentialCipher, NetworkAdapters],
})
export class ChannelsModule {}
