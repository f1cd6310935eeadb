import { Module } from '@nestjs/common';
import { LedgerModule } from '@sharepool/ledger';
import { PostPreviewService } from './post-preview.service.js';
import { PostsService } from './posts.service.js';

@Module({
  imports: [LedgerModule],
  providers: [PostsService, PostPreviewService],
  exports: [PostsService, PostPreviewService],
})
export class ContentModule {}
