import { Module } from '@nestjs/common';
import { AuditModule } from '@sharepool/audit';
import { ContentModule } from '@sharepool/content';
import { ModerationService } from './moderation.service.js';
import { SharingPausesService } from './sharing-pauses.service.js';

@Module({
  imports: [AuditModule, ContentModule],
  providers: [ModerationService, SharingPausesService],
  exports: [ModerationService, SharingPausesService],
})
export class ModerationModule {}
