import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Post, PostsService, postMessage, postTitle } from '@sharepool/content';
import { type Actor, pageRequest } from '@sharepool/kernel';
import { type Member, MembersService, type Niche, NichesService } from '@sharepool/members';
import { SharingPausesService } from '@sharepool/moderation';
import { type FeedPost, ShareFeedService, type Share, SharesService } from '@sharepool/sharing';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader, nicheLoader } from '../members/member.loaders.js';
import { MemberModel, NicheModel } from '../members/member.model.js';
import { ShareConnection } from '../sharing/sharing.model.js';
import { POST_LOADER, postLoader, sharingPausedLoader, VIEWER_HAS_SHARED_LOADER, viewerHasSharedLoader } from './post.loaders.js';
import { EditPostInput, PostConnection, PostModel, SubmitPostInput } from './post.model.js';

@Resolver(() => PostModel)
export class PostResolver implements OnModuleInit {
  constructor(
    private readonly postService: PostsService,
    private readonly feedService: ShareFeedService,
    private readonly memberService: MembersService,
    private readonly nicheService: NichesService,
    private readonly shareService: SharesService,
    private readonly pauseService: SharingPausesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Post', async (ctx, id) => {
      const post = await postLoader(ctx, this.postService).load(id);
      return post && this.postService.isVisible(ctx.actor, post) ? post : null;
    });
  }

  @Query(() => PostConnection, {
    description:
      'approved posts of other members that the viewer can still share, best first (peers waiting on the viewer, super fans, loyal peers, then the rest); a reload within FEED_CACHE_SECONDS may show budgets, counts and order that old',
  })
  async shareFeed(
    @Context() ctx: GraphqlContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('nicheId', { type: () => ID, nullable: true }) nicheId: string | null,
    @Args('authorId', {
      type: () => ID,
      nullable: true,
      description: "only this member's posts (say, a super fan's, to thank them with a share)",
    })
    authorId: string | null,
  ): Promise<ConnectionSource<FeedPost>> {
    const niche = nicheId == null ? null : parseGlobalId(nicheId, 'Niche', 'nicheId');
    const author = authorId == null ? null : parseGlobalId(authorId, 'Member', 'authorId');
    const page = await this.feedService.feed(ctx.actor, pageRequest(first, after), niche, author);
    // Feed posts are, by definition, not shared by the viewer yet: no query needed to say so.
    for (const post of page.items) {
      ctx.loaders.prime(POST_LOADER, post.id, post);
      ctx.loaders.prime(VIEWER_HAS_SHARED_LOADER, post.id, false);
    }
    return toConnection(page);
  }

  @Mutation(() => PostModel)
  submitPost(@CurrentActor() actor: Actor, @Args('input') input: SubmitPostInput): Promise<Post> {
    return this.postService.submit(actor, { ...input, nicheId: parseGlobalId(input.nicheId, 'Niche', 'nicheId') });
  }

  @Mutation(() => PostModel, {
    description: "the author's own title and summary, while the post waits for review (e.g. when its page could not be read)",
  })
  editPost(@CurrentActor() actor: Actor, @Args('input') input: EditPostInput): Promise<Post> {
    const { id, ...changes } = input;
    return this.postService.edit(actor, parseGlobalId(id, 'Post', 'id'), changes);
  }

  @Mutation(() => PostModel)
  withdrawPost(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Post> {
    return this.postService.withdraw(actor, parseGlobalId(id, 'Post', 'id'));
  }

  @ResolveField(() => MemberModel)
  async author(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<Member> {
    return (await memberLoader(ctx, this.memberService).load(post.authorId))!;
  }

  @ResolveField(() => NicheModel)
  async niche(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<Niche> {
    return (await nicheLoader(ctx, this.nicheService).load(post.nicheId))!;
  }

  @ResolveField(() => String)
  title(@Parent() post: Post): string {
    return postTitle(post);
  }

  @ResolveField(() => String)
  suggestedMessage(@Parent() post: Post): string {
    return postMessage(post);
  }

  @ResolveField(() => String, { nullable: true, description: 'for the author and moderators' })
  rejectionReason(@Parent() post: Post, @CurrentActor() actor: Actor): string | null {
    return this.postService.isAuthorOrModerator(actor, post) ? post.rejectionReason : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'why the page could not be read (previewStatus FAILED); for the author and moderators',
  })
  previewError(@Parent() post: Post, @CurrentActor() actor: Actor): string | null {
    return this.postService.isAuthorOrModerator(actor, post) ? post.previewError : null;
  }

  @ResolveField(() => Boolean)
  viewerHasShared(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<boolean> {
    return viewerHasSharedLoader(ctx, this.shareService).load(post.id);
  }

  @ResolveField(() => Boolean, { description: 'true while an admin pause covers this post' })
  sharingPaused(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<boolean> {
    return sharingPausedLoader(ctx, this.pauseService).load(`${post.id}|${post.nicheId}`);
  }

  @ResolveField(() => ShareConnection, { description: "the post's shares, newest first; the author only (others get an empty list)" })
  async shares(
    @Parent() post: Post,
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ConnectionSource<Share>> {
    return toConnection(await this.shareService.listOfPost(actor, post, pageRequest(first, after)));
  }
}
