import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '@sharepool/content';
import { MembersModule } from '@sharepool/members';
import { ModerationModule } from '@sharepool/moderation';
import { ClickCountsService } from './click-counts.service.js';
import { ClickFlusher } from './click-flusher.service.js';
import { ClickRecorder } from './click-recorder.service.js';
import { LinkClickBatchEntity } from './link-click-batch.entity.js';
import { LinkClickEntity } from './link-click.entity.js';
import { ShareLinkEntity } from './share-link.entity.js';
import { ShareLinksService } from './share-links.service.js';

/** The links lib's tables. */
export const LINKS_ENTITIES = [ShareLinkEntity, LinkClickEntity, LinkClickBatchEntity];

@Module({
  imports: [TypeOrmModule.forFeature(LINKS_ENTITIES), ContentModule, MembersModule, ModerationModule],
  providers: [ShareLinksService, ClickRecorder, ClickFlusher, ClickCountsService],
  exports: [ShareLinksService, ClickRecorder, ClickFlusher, ClickCountsService],
})
export class LinksModule {}
