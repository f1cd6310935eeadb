import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { ContentModule } from '@sharepool/content';
import { MembersModule } from '@sharepool/members';
import { TrustModule } from '@sharepool/trust';
import { RelationshipShareEntity } from './relationship-share.entity.js';
import { RelationshipWindowEntity } from './relationship-window.entity.js';
import { RelationshipEntity } from './relationship.entity.js';
import { RelationshipsService } from './relationships.service.js';
import { TrustReview } from './trust-review.service.js';

/** The relationships lib's tables. */
export const RELATIONSHIPS_ENTITIES = [RelationshipEntity, RelationshipShareEntity, RelationshipWindowEntity];

@Module({
  imports: [AuditModule, ContentModule, MembersModule, TrustModule, TypeOrmModule.forFeature(RELATIONSHIPS_ENTITIES)],
  providers: [RelationshipsService, TrustReview],
  exports: [RelationshipsService, TrustReview],
})
export class RelationshipsModule {}
