import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Channel, ChannelsService } from '@sharepool/channels';
import { type Post, PostsService } from '@sharepool/content';
import type { Actor } from '@sharepool/kernel';
import { type Member, MembersService } from '@sharepool/members';
import { type Share, SharesService } from '@sharepool/sharing';
import { postLoader } from '../content/post.loaders.js';
import { PostModel } from '../content/post.model.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader } from '../members/member.loaders.js';
import { MemberModel } from '../members/member.model.js';
import { channelLoader, shareLoader } from './sharing.loaders.js';
import { ChannelModel, SharePostInput, ShareModel } from './sharing.model.js';

@Resolver(() => ShareModel)
export class ShareResolver implements OnModuleInit {
  constructor(
    private readonly shareService: SharesService,
    private readonly postService: PostsService,
    private readonly memberService: MembersService,
    private readonly channelService: ChannelsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Share', async (ctx, id) => {
      const share = await shareLoader(ctx, this.shareService).load(id);
      return share && this.shareService.isVisible(ctx.actor, share) ? share : null;
    });
  }

  @Mutation(() => [ShareModel], { description: 'one share per channel; a post can be shared once per channel by each member' })
  sharePost(@CurrentActor() actor: Actor, @Args('input') input: SharePostInput): Promise<Share[]> {
    return this.shareService.share(actor, {
      postId: parseGlobalId(input.postId, 'Post', 'postId'),
      channelIds: input.channelIds.map((id) => parseGlobalId(id, 'Channel', 'channelIds')),
      message: input.message,
      scheduledFor: input.scheduledFor,
    });
  }

  @Mutation(() => ShareModel)
  cancelShare(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Share> {
    return this.shareService.cancel(actor, parseGlobalId(id, 'Share', 'id'));
  }

  @ResolveField(() => PostModel)
  async post(@Parent() share: Share, @Context() ctx: GraphqlContext): Promise<Post> {
    return (await postLoader(ctx, this.postService).load(share.postId))!;
  }

  @ResolveField(() => MemberModel)
  async sharer(@Parent() share: Share, @Context() ctx: GraphqlContext): Promise<Member> {
    return (await memberLoader(ctx, this.memberService).load(share.sharerId))!;
  }

  @ResolveField(() => ChannelModel)
  async channel(@Parent() share: Share, @Context() ctx: GraphqlContext): Promise<Channel> {
    return (await channelLoader(ctx, this.channelService).load(share.channelId))!;
  }

  @ResolveField(() => Int, { description: 'credits paid to the sharer: creditsPerShare once POSTED, else 0' })
  creditsEarned(@Parent() share: Share): number {
    return share.status === 'POSTED' ? share.credits : 0;
  }
}
