import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Channel, ChannelStatus, Network } from '@sharepool/channels';
import type { Share, ShareStatus } from '@sharepool/sharing';
import { Connection } from '../graphql/connection.js';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const NetworkEnum = {
  WEBHOOK: 'WEBHOOK',
  MASTODON: 'MASTODON',
  BLUESKY: 'BLUESKY',
  X: 'X',
  LINKEDIN: 'LINKEDIN',
} as const satisfies Record<Network, Network>;
registerEnumType(NetworkEnum, {
  name: 'Network',
  description: 'Where a share is posted. WEBHOOK posts a signed JSON body to a URL the member owns.',
});
export const ChannelStatusEnum = { ACTIVE: 'ACTIVE', NEEDS_REAUTH: 'NEEDS_REAUTH', DISCONNECTED: 'DISCONNECTED' } as const satisfies Record<
  ChannelStatus,
  ChannelStatus
>;
registerEnumType(ChannelStatusEnum, { name: 'ChannelStatus' });
export const ShareStatusEnum = {
  SCHEDULED: 'SCHEDULED',
  POSTING: 'POSTING',
  POSTED: 'POSTED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const satisfies Record<ShareStatus, ShareStatus>;
registerEnumType(ShareStatusEnum, { name: 'ShareStatus' });

@ObjectType('Channel', {
  implements: () => [Node],
  description: "A social account of the viewer's. Credentials are write-only: no field ever returns them.",
})
export class ChannelModel implements Omit<Channel, 'memberId'> {
  @NodeIdField('Channel') id: string;
  @Field(() => NetworkEnum) network: Network;
  @Field() handle: string;
  @Field(() => Int) audienceSize: number;
  @Field({ description: 'true when audienceSize was read from the network itself, false when the member stated it' })
  audienceVerified: boolean;
  @Field(() => Date, { nullable: true }) audienceCheckedAt: Date | null;
  @Field(() => ChannelStatusEnum) status: ChannelStatus;
  @Field(() => String, { nullable: true, description: 'why the channel needs attention (NEEDS_REAUTH), in words a member understands' })
  statusReason: string | null;
  @Field() createdAt: Date;
}

@ObjectType('Share', { implements: () => [Node], description: "One peer's sharing of one post to one of its channels." })
export class ShareModel implements Pick<
  Share,
  'id' | 'message' | 'status' | 'scheduledFor' | 'postedAt' | 'externalUrl' | 'failureReason' | 'createdAt'
> {
  @NodeIdField('Share') id: string;
  @Field() message: string;
  @Field(() => ShareStatusEnum) status: ShareStatus;
  @Field() scheduledFor: Date;
  @Field(() => Date, { nullable: true }) postedAt: Date | null;
  @Field(() => String, { nullable: true, description: "the post's address on the network, once POSTED" }) externalUrl: string | null;
  @Field(() => String, { nullable: true }) failureReason: string | null;
  @Field() createdAt: Date;
  // post, sharer, channel, creditsEarned: ShareResolver.
}

@ObjectType('Reciprocity', { description: "How much the viewer and one peer have shared of each other's posts (POSTED shares only)." })
export class ReciprocityModel {
  peerId: string;
  @Field(() => Int, { description: "shares by the viewer of the peer's posts" }) sharesGiven: number;
  @Field(() => Int, { description: "shares by the peer of the viewer's posts" }) sharesReceived: number;
  @Field(() => Date, { nullable: true }) lastSharedAt: Date | null;
}

@ObjectType('WeeklyShareActivity', { description: 'POSTED shares in one week (weeks start on Monday, UTC).' })
export class WeeklyShareActivityModel {
  @Field() weekStart: Date;
  @Field(() => Int, { description: "shares by the viewer of peers' posts" }) given: number;
  @Field(() => Int, { description: "shares by peers of the viewer's posts" }) received: number;
}

@ObjectType()
export class ConnectChannelPayload {
  @Field(() => ChannelModel) channel: Channel;
  @Field(() => String, { nullable: true, description: 'WEBHOOK only, shown once: the key that signs each delivery (HMAC-SHA256)' })
  signingSecret: string | null;
}

@InputType({ description: 'Credentials that a network needs; each is stored encrypted and never returned.' })
export class ConnectChannelInput {
  @Field(() => NetworkEnum) network: Network;
  @Field() handle: string;
  @Field(() => String, { nullable: true, description: 'WEBHOOK: the URL that receives each share' }) webhookUrl?: string | null;
  @Field(() => String, { nullable: true, description: "MASTODON: the instance's base URL; BLUESKY: the PDS base URL" })
  instanceUrl?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'MASTODON, X, LINKEDIN: an OAuth access token (partner apps, development; members use startChannelConnection)',
  })
  accessToken?: string | null;
  @Field(() => String, { nullable: true, description: 'BLUESKY: an app password' }) appPassword?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'followers as the member states them: kept only where the network gives no figure (WEBHOOK, LINKEDIN without it)',
  })
  audienceSize?: number | null;
}

@InputType()
export class StartChannelConnectionInput {
  @Field(() => NetworkEnum, { description: 'MASTODON, X or LINKEDIN' }) network: Network;
  @Field(() => String, { nullable: true, description: "MASTODON: the instance's base URL" }) instanceUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'a path of the web app to return to afterwards; default /channels' })
  returnTo?: string | null;
}

@ObjectType('ChannelConnectionStart')
export class ChannelConnectionStartModel {
  @Field({
    description: "send the member's browser here; the network sends it back to PUBLIC_URL/oauth/callback, which connects the channel",
  })
  authorizeUrl: string;
  @Field() expiresAt: Date;
}

@InputType()
export class SharePostInput {
  @Field(() => ID) postId: string;
  @Field(() => [ID]) channelIds: string[];
  @Field(() => String, { nullable: true, description: "default: the post's suggestedMessage" }) message?: string | null;
  @Field(() => Date, { nullable: true, description: 'default: now' }) scheduledFor?: Date | null;
}

export const ShareConnection = Connection(ShareModel, 'Share');
export const ReciprocityConnection = Connection(ReciprocityModel, 'Reciprocity');
