import { Module } from '@nestjs/common';
import { ChannelsModule } from '@sharepool/channels';
import { ContentModule } from '@sharepool/content';
import { LedgerModule } from '@sharepool/ledger';
import { ModerationModule } from '@sharepool/moderation';
import { ReciprocityService } from './reciprocity.service.js';
import { ShareDeliveryService } from './share-delivery.service.js';
import { ShareFeedService } from './share-feed.service.js';
import { ShareSettlement } from './share-settlement.service.js';
import { ShareSweeper } from './share-sweeper.service.js';
import { SharesService } from './shares.service.js';

@Module({
  imports: [ChannelsModule, ContentModule, LedgerModule, ModerationModule],
  providers: [ReciprocityService, ShareDeliveryService, ShareFeedService, ShareSettlement, ShareSweeper, SharesService],
  exports: [ReciprocityService, ShareDeliveryService, ShareFeedService, ShareSweeper, SharesService],
})
export class SharingModule {}
