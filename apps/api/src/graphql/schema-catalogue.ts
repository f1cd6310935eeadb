import type { Type } from '@nestjs/common';
import { AuthResolver } from '../auth/auth.resolver.js';
import { PostResolver } from '../content/post.resolver.js';
import { LedgerEntryResolver } from '../ledger/ledger-entry.resolver.js';
import { ViewerLedgerResolver } from '../ledger/viewer-ledger.resolver.js';
import {
  AdminDashboardResolver,
  DashboardNicheResolver,
  PostReachResolver,
  ShareLinkResolver,
  ViewerReturnResolver,
} from '../links/links.resolver.js';
import { MemberResolver } from '../members/member.resolver.js';
import { NicheResolver } from '../members/niche.resolver.js';
import { ViewerMemberResolver } from '../members/viewer-member.resolver.js';
import { AuditEntryResolver, ModerationResolver, SharingPauseResolver } from '../moderation/moderation.resolver.js';
import { RelationshipResolver, ViewerRelationshipsResolver } from '../relationships/viewer-relationships.resolver.js';
import { TrustResolver } from '../relationships/trust.resolver.js';
import { ChannelConnectionResolver } from '../sharing/channel-connection.resolver.js';
import { ChannelResolver } from '../sharing/channel.resolver.js';
import { ShareResolver } from '../sharing/share.resolver.js';
import { ReciprocityResolver, ViewerSharingResolver } from '../sharing/viewer-sharing.resolver.js';
import { ViewerResolver } from '../viewer/viewer.resolver.js';
import { NotificationResolver, ViewerNotificationsResolver } from '../notifications/notification.resolver.js';
import { LiveResolver } from '../live/live.resolver.js';
import { NodeResolver } from './node.js';

/**
 * Every resolver of the API, in one list: the API module registers these and
 * `npm run schema:print` builds the committed schema from the same list, so the
 * served schema and apps/api/schema.graphql cannot drift apart.
 */
export const RESOLVERS: Type[] = [
  NodeResolver,
  ViewerResolver,
  ViewerMemberResolver,
  ViewerLedgerResolver,
  ViewerSharingResolver,
  ViewerNotificationsResolver,
  AuthResolver,
  MemberResolver,
  NicheResolver,
  PostResolver,
  ModerationResolver,
  SharingPauseResolver,
  AuditEntryResolver,
  LedgerEntryResolver,
  ShareResolver,
  ChannelResolver,
  ChannelConnectionResolver,
  ReciprocityResolver,
  ShareLinkResolver,
  PostReachResolver,
  ViewerReturnResolver,
  AdminDashboardResolver,
  DashboardNicheResolver,
  ViewerRelationshipsResolver,
  RelationshipResolver,
  TrustResolver,
  NotificationResolver,
  LiveResolver,
];

/** Types that no field returns directly but the schema must contain. */
export const ORPHAN_TYPES: Type[] = [];
