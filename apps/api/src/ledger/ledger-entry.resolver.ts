import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Post, PostsService } from '@sharepool/content';
import type { Actor } from '@sharepool/kernel';
import { type LedgerEntry, LedgerStatementService } from '@sharepool/ledger';
import { type Share, SharesService } from '@sharepool/sharing';
import { postLoader } from '../content/post.loaders.js';
import { PostModel } from '../content/post.model.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { shareLoader } from '../sharing/sharing.loaders.js';
import { ShareModel } from '../sharing/sharing.model.js';
import { AdjustCreditsInput, LedgerEntryModel } from './ledger.model.js';

@Resolver(() => LedgerEntryModel)
export class LedgerEntryResolver implements OnModuleInit {
  constructor(
    private readonly statements: LedgerStatementService,
    private readonly postService: PostsService,
    private readonly shareService: SharesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('LedgerEntry', (ctx, id) => this.statements.ownEntry(ctx.actor, id));
  }

  @Mutation(() => LedgerEntryModel, { description: 'ADMIN' })
  adjustCredits(@CurrentActor() actor: Actor, @Args('input') input: AdjustCreditsInput): Promise<LedgerEntry> {
    return this.statements.adjust(actor, { ...input, memberId: parseGlobalId(input.memberId, 'Member', 'memberId') });
  }

  @ResolveField(() => PostModel, { nullable: true })
  async post(@Parent() entry: LedgerEntry, @Context() ctx: GraphqlContext): Promise<Post | null> {
    if (!entry.postId) return null;
    const post = await postLoader(ctx, this.postService).load(entry.postId);
    return post && this.postService.isVisible(ctx.actor, post) ? post : null;
  }

  @ResolveField(() => ShareModel, { nullable: true })
  async share(@Parent() entry: LedgerEntry, @Context() ctx: GraphqlContext): Promise<Share | null> {
    if (!entry.shareId) return null;
    const share = await shareLoader(ctx, this.shareService).load(entry.shareId);
    return share && this.shareService.isVisible(ctx.actor, share) ? share : null;
  }
}
