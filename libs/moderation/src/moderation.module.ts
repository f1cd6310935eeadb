import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/index.js';
import { ContentModule } from '../../content/src/index.js';
import { ModerationService } from './moderation.service.js';
import { SharingPausesService } from './sharing-pauses.service.js';

@Module({
  imports: [AuditModule, ContentModule],
  providers: [ModerationService, SharingPausesService],
  exports: [ModerationService, SharingPausesService],
})
export class ModerationModule {}
