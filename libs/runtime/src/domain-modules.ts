import type { Type } from '@nestjs/common';
import { AnalyticsModule } from '@sharepool/analytics';
import { AuditModule } from '@sharepool/audit';
import { AuthModule } from '@sharepool/auth';
import { ChannelsModule } from '@sharepool/channels';
import { ContentModule } from '@sharepool/content';
import { LedgerModule } from '@sharepool/ledger';
import { LinksModule } from '@sharepool/links';
import { MailModule } from '@sharepool/mail';
import { MembersModule } from '@sharepool/members';
import { ModerationModule } from '@sharepool/moderation';
import { NotificationsModule } from '@sharepool/notifications';
import { OutboundModule } from '@sharepool/outbound';
import { RelationshipsModule } from '@sharepool/relationships';
import { SharingModule } from '@sharepool/sharing';
import { TrustModule } from '@sharepool/trust';

/** The domain libraries' Nest modules; the API and the worker both load all of them. */
export const DOMAIN_MODULES: Type[] = [
  OutboundModule,
  AuditModule,
  NotificationsModule,
  LedgerModule,
  TrustModule,
  MembersModule,
  MailModule,
  AuthModule,
  ContentModule,
  ModerationModule,
  ChannelsModule,
  LinksModule,
  RelationshipsModule,
  SharingModule,
  AnalyticsModule,
];
