import type { Type } from '@nestjs/common';
import { AuditModule } from '../../audit/src/index.js';
import { AuthModule } from '../../auth/src/index.js';
import { ChannelsModule } from '../../channels/src/index.js';
import { ContentModule } from '../../content/src/index.js';
import { LedgerModule } from '../../ledger/src/index.js';
import { MembersModule } from '../../members/src/index.js';
import { ModerationModule } from '../../moderation/src/index.js';
import { OutboundModule } from '../../outbound/src/index.js';
import { SharingModule } from '../../sharing/src/index.js';

/** The domain libraries' Nest modules; the API and the worker both load all of them. */
export const DOMAIN_MODULES: Type[] = [
  OutboundModule,
  AuditModule,
  LedgerModule,
  MembersModule,
  AuthModule,
  ContentModule,
  ModerationModule,
  ChannelsModule,
  SharingModule,
];
