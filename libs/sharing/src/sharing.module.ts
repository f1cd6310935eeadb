import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelsModule } from '@sharepool/channels';
import { ContentModule } from '@sharepool/content';
import { LedgerModule } from '@sharepool/ledger';
import { LinksModule } from '@sharepool/links';
import { MembersModule } from '@sharepool/members';
import { ModerationModule } from '@sharepool/moderation';
import { NotificationsModule } from '@sharepool/notifications';
import { NetworkLimiter } from './network-limiter.js';
import { TrustModule } from '@sharepool/trust';
import { ReciprocityEntity } from './reciprocity.entity.js';
import { ReciprocityService } from './reciprocity.service.js';
import { ShareActivityService } from './share-activity.service.js';
import { ShareDeliveryService } from './share-delivery.service.js';
import { ShareFeedService } from './share-feed.service.js';
import { ShareSettlement } from './share-settlement.service.js';
import { ShareSweeper } from './share-sweeper.service.js';
import { ShareEntity } from './share.entity.js';
import { SharesService } from './shares.service.js';

/** The sharing lib's tables. */
export const SHARING_ENTITIES = [ShareEntity, ReciprocityEntity];

@Module({
  imports: [
    ChannelsModule,
    ContentModule,
    LedgerModule,
    LinksModule,
    MembersModule,
    ModerationModule,
    NotificationsModule,
    TrustModule,
    TypeOrmModule.forFeature(SHARING_ENTITIES),
  ],
  providers: [
    NetworkLimiter,
    ReciprocityService,
    ShareActivityService,
    ShareDeliveryService,
    ShareFeedService,
    ShareSettlement,
    ShareSweeper,
    SharesService,
  ],
  exports: [NetworkLimiter, ReciprocityService, ShareActivityService, ShareDeliveryService, ShareFeedService, ShareSweeper, SharesService],
})
export class SharingModule {}
