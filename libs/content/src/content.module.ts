import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { LedgerModule } from '@sharepool/ledger';
import { TrustModule } from '@sharepool/trust';
import { PostPreviewService } from './post-preview.service.js';
import { PostTransitionEntity } from './post-transition.entity.js';
import { PostWithBudgetView } from './post-with-budget.view.js';
import { PostEntity } from './post.entity.js';
import { PostsService } from './posts.service.js';

/** The content lib's tables. */
export const CONTENT_ENTITIES = [PostEntity, PostTransitionEntity, PostWithBudgetView];

@Module({
  imports: [AuditModule, LedgerModule, TrustModule, TypeOrmModule.forFeature(CONTENT_ENTITIES)],
  providers: [PostsService, PostPreviewService],
  exports: [PostsService, PostPreviewService],
})
export class ContentModule {}
