import { Module } from '@nestjs/common';
import { ChannelsModule } from '../../channels/src/index.js';
import { ContentModule } from '../../content/src/index.js';
import { LedgerModule } from '../../ledger/src/index.js';
import { ModerationModule } from '../../moderation/src/index.js';
import { ReciprocityService } from './reciprocity.service.js';
import { ShareDeliveryService } from './share-delivery.service.js';
import { ShareSettlement } from './share-settlement.service.js';
import { ShareSweeper } from './share-sweeper.service.js';
import { SharesService } from './shares.service.js';

@Module({
  imports: [ChannelsModule, ContentModule, LedgerModule, ModerationModule],
  providers: [ReciprocityService, ShareDeliveryService, ShareSettlement, ShareSweeper, SharesService],
  exports: [ReciprocityService, ShareDeliveryService, ShareSweeper, SharesService],
})
export class SharingModule {}
