import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerModule } from '@sharepool/ledger';
import { PostPreviewService } from './post-preview.service.js';
import { PostTransitionEntity } from './post-transition.entity.js';
import { PostWithBudgetView } from './post-with-budget.view.js';
import { PostEntity } from './post.entity.js';
import { PostsService } from './posts.service.js';

/** The content lib's tables. */
export const CONTENT_ENTITIES = [PostEntity, PostTransitionEntity, PostWithBudgetView];

@Module({
  imports: [LedgerModule, TypeOrmModule.forFeature(CONTENT_ENTITIES)],
  providers: [PostsService, PostPreviewService],
  exports: [PostsService, PostPreviewService],
})
export class ContentModule {}
