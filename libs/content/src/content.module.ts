import { Module } from '@nestjs/common';
import { LedgerModule } from '../../ledger/src/index.js';
import { PostPreviewService } from './post-preview.service.js';
import { PostsService } from './posts.service.js';
import { ShareFeedService } from './share-feed.service.js';

@Module({
  imports: [LedgerModule],
  providers: [PostsService, PostPreviewService, ShareFeedService],
  exports: [PostsService, PostPreviewService, ShareFeedService],
})
export class ContentModule {}
