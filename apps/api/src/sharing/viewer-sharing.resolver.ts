import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Channel, ChannelsService } from '@sharepool/channels';
import { type Post, PostsService, type PostStatus } from '@sharepool/content';
import { pageRequest } from '@sharepool/kernel';
import { type Member, MembersService } from '@sharepool/members';
import {
  type ReciprocityRecord,
  ReciprocityService,
  type Share,
  SharesService,
  type ShareStatus,
  type WeeklyShareActivity,
} from '@sharepool/sharing';
import { PostConnection, PostStatusEnum } from '../content/post.model.js';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader } from '../members/member.loaders.js';
import { MemberModel } from '../members/member.model.js';
import { Viewer } from '../viewer/viewer.model.js';
import {
  ChannelModel,
  ReciprocityConnection,
  ReciprocityModel,
  ShareConnection,
  ShareStatusEnum,
  WeeklyShareActivityModel,
} from './sharing.model.js';

/** The viewer's posts, shares, channels and reciprocity. */
@Resolver(() => Viewer)
export class ViewerSharingResolver {
  constructor(
    private readonly postService: PostsService,
    private readonly shareService: SharesService,
    private readonly channelService: ChannelsService,
    private readonly reciprocityService: ReciprocityService,
  ) {}

  @ResolveField(() => PostConnection)
  async posts(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('status', { type: () => PostStatusEnum, nullable: true }) status: PostStatus | null,
  ): Promise<ConnectionSource<Post>> {
    return toConnection(await this.postService.listOwn(viewer.actor, pageRequest(first, after), status));
  }

  @ResolveField(() => ShareConnection)
  async shares(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('status', { type: () => ShareStatusEnum, nullable: true }) status: ShareStatus | null,
  ): Promise<ConnectionSource<Share>> {
    return toConnection(await this.shareService.listOwn(viewer.actor, pageRequest(first, after), status));
  }

  @ResolveField(() => [ChannelModel])
  channels(@Parent() viewer: Viewer): Promise<Channel[]> {
    return this.channelService.list(viewer.actor);
  }

  @ResolveField(() => ReciprocityConnection)
  async reciprocity(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ConnectionSource<ReciprocityRecord>> {
    return toConnection(await this.reciprocityService.peers(viewer.actor, pageRequest(first, after)));
  }

  @ResolveField(() => [WeeklyShareActivityModel], {
    description: 'POSTED shares given and received per week over the last `weeks` weeks (1-104), oldest first',
  })
  shareActivity(
    @Parent() viewer: Viewer,
    @Args('weeks', { type: () => Int, nullable: true, defaultValue: 12 }) weeks: number,
  ): Promise<WeeklyShareActivity[]> {
    return this.reciprocityService.weeklyActivity(viewer.actor, weeks);
  }
}

@Resolver(() => ReciprocityModel)
export class ReciprocityResolver {
  constructor(private readonly memberService: MembersService) {}

  @ResolveField(() => MemberModel)
  async peer(@Parent() row: ReciprocityRecord, @Context() ctx: GraphqlContext): Promise<Member> {
    return (await memberLoader(ctx, this.memberService).load(row.peerId))!;
  }
}
