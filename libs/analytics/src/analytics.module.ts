import { Module } from '@nestjs/common';
import { LinksModule } from '@sharepool/links';
import { MembersModule } from '@sharepool/members';
import { SharingModule } from '@sharepool/sharing';
import { AnalyticsService } from './analytics.service.js';

@Module({ imports: [LinksModule, MembersModule, SharingModule], providers: [AnalyticsService], exports: [AnalyticsService] })
export class AnalyticsModule {}
