import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@sharepool/audit';
import { ContentModule } from '@sharepool/content';
import { NotificationsModule } from '@sharepool/notifications';
import { TrustModule } from '@sharepool/trust';
import { ModerationService } from './moderation.service.js';
import { PauseInForceView } from './pauses-in-force.view.js';
import { SharingPauseEntity } from './sharing-pause.entity.js';
import { SharingPausesService } from './sharing-pauses.service.js';

/** The moderation lib's tables. */
export const MODERATION_ENTITIES = [SharingPauseEntity, PauseInForceView];

@Module({
  imports: [AuditModule, ContentModule, NotificationsModule, TrustModule, TypeOrmModule.forFeature(MODERATION_ENTITIES)],
  providers: [ModerationService, SharingPausesService],
  exports: [ModerationService, SharingPausesService],
})
export class ModerationModule {}
