import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@sharepool/config';
import { MembersModule } from '@sharepool/members';
import { OutboundHttp } from '@sharepool/outbound';
import { AudienceChecker } from './audience-checker.service.js';
import { ChannelDirectoryView } from './channel-directory.view.js';
import { ChannelRegistry } from './channel-registry.service.js';
import { ChannelEntity } from './channel.entity.js';
import { ChannelsService } from './channels.service.js';
import { CredentialCipher } from './credential-cipher.js';
import { NetworkAdapters } from './networks/network-adapters.js';
import { ChannelConnectionAttemptEntity } from './oauth/channel-connection-attempt.entity.js';
import { MastodonAppEntity } from './oauth/mastodon-app.entity.js';
import { MastodonApps } from './oauth/mastodon-apps.service.js';
import { OAuthConnectionsService } from './oauth/oauth-connections.service.js';
import { OAuthProviders } from './oauth/oauth-providers.js';
import { TokenRefresher } from './oauth/token-refresher.service.js';

/** The channels lib's tables. */
export const CHANNELS_ENTITIES = [ChannelEntity, MastodonAppEntity, ChannelConnectionAttemptEntity, ChannelDirectoryView];

@Module({
  imports: [MembersModule, TypeOrmModule.forFeature(CHANNELS_ENTITIES)],
  providers: [
    ChannelsService,
    ChannelRegistry,
    OAuthConnectionsService,
    MastodonApps,
    TokenRefresher,
    AudienceChecker,
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
    {
      provide: OAuthProviders,
      inject: [AppConfig, OutboundHttp],
      useFactory: (config: AppConfig, http: OutboundHttp) => OAuthProviders.fromConfig(config, http),
    },
  ],
  exports: [ChannelsService, CredentialCipher, NetworkAdapters, OAuthConnectionsService, TokenRefresher, AudienceChecker],
})
export class ChannelsModule {}
