import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type AuditEntry, AuditLog } from '@sharepool/audit';
import { type Post, PostsService } from '@sharepool/content';
import { type Actor, pageRequest } from '@sharepool/kernel';
import { type Member, MembersService, type Niche, NichesService } from '@sharepool/members';
import { ModerationService, type PauseTarget, type SharingPause, SharingPausesService } from '@sharepool/moderation';
import { postLoader } from '../content/post.loaders.js';
import { PostConnection, PostModel } from '../content/post.model.js';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId, toGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader, nicheLoader } from '../members/member.loaders.js';
import { MemberModel, NicheModel } from '../members/member.model.js';
import {
  AuditEntryConnection,
  AuditEntryModel,
  ModeratePostInput,
  PauseSharingInput,
  ResumeSharingInput,
  SharingPauseModel,
} from './moderation.model.js';

function pauseTarget(input: PauseSharingInput | ResumeSharingInput): PauseTarget {
  return {
    scope: input.scope,
    postId: input.postId ? parseGlobalId(input.postId, 'Post', 'postId') : null,
    nicheId: input.nicheId ? parseGlobalId(input.nicheId, 'Niche', 'nicheId') : null,
  };
}

@Resolver()
export class ModerationResolver implements OnModuleInit {
  constructor(
    private readonly moderation: ModerationService,
    private readonly pauses: SharingPausesService,
    private readonly audit: AuditLog,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('AuditEntry', (ctx, id) => this.audit.find(ctx.actor, id));
    this.nodes.register('SharingPause', async (ctx, id) => {
      if (ctx.actor.kind !== 'member' || ctx.actor.role !== 'ADMIN') return null;
      return (await this.pauses.active(ctx.actor)).find((p) => p.id === id) ?? null;
    });
  }

  @Query(() => PostConnection, { description: 'posts awaiting review, oldest first; MODERATOR or ADMIN' })
  async moderationQueue(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ConnectionSource<Post>> {
    return toConnection(await this.moderation.queue(actor, pageRequest(first, after)));
  }

  @Mutation(() => PostModel, { description: 'MODERATOR or ADMIN' })
  moderatePost(@CurrentActor() actor: Actor, @Args('input') input: ModeratePostInput): Promise<Post> {
    return this.moderation.moderate(actor, { ...input, postId: parseGlobalId(input.postId, 'Post', 'postId') });
  }

  @Query(() => AuditEntryConnection, { description: 'ADMIN: moderation and admin actions, newest first' })
  async auditLog(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ConnectionSource<AuditEntry>> {
    return toConnection(await this.audit.list(actor, pageRequest(first, after)));
  }

  @Query(() => [SharingPauseModel], { description: 'ADMIN: the pauses in force' })
  sharingPauses(@CurrentActor() actor: Actor): Promise<SharingPause[]> {
    return this.pauses.active(actor);
  }

  @Mutation(() => SharingPauseModel, { description: 'ADMIN: stop delivering and accepting shares in a scope' })
  pauseSharing(@CurrentActor() actor: Actor, @Args('input') input: PauseSharingInput): Promise<SharingPause> {
    return this.pauses.pause(actor, pauseTarget(input), input.reason);
  }

  @Mutation(() => SharingPauseModel, { description: 'ADMIN: lift a pause; scheduled shares then go out' })
  resumeSharing(@CurrentActor() actor: Actor, @Args('input') input: ResumeSharingInput): Promise<SharingPause> {
    return this.pauses.resume(actor, pauseTarget(input), input.reason);
  }
}

@Resolver(() => SharingPauseModel)
export class SharingPauseResolver {
  constructor(
    private readonly postService: PostsService,
    private readonly nicheService: NichesService,
    private readonly memberService: MembersService,
  ) {}

  @ResolveField(() => PostModel, { nullable: true })
  post(@Parent() pause: SharingPause, @Context() ctx: GraphqlContext): Promise<Post | null> | null {
    return pause.postId ? postLoader(ctx, this.postService).load(pause.postId) : null;
  }

  @ResolveField(() => NicheModel, { nullable: true })
  niche(@Parent() pause: SharingPause, @Context() ctx: GraphqlContext): Promise<Niche | null> | null {
    return pause.nicheId ? nicheLoader(ctx, this.nicheService).load(pause.nicheId) : null;
  }

  @ResolveField(() => MemberModel, { nullable: true })
  pausedBy(@Parent() pause: SharingPause, @Context() ctx: GraphqlContext): Promise<Member | null> | null {
    return pause.pausedBy ? memberLoader(ctx, this.memberService).load(pause.pausedBy) : null;
  }
}

@Resolver(() => AuditEntryModel)
export class AuditEntryResolver {
  constructor(private readonly memberService: MembersService) {}

  @ResolveField(() => MemberModel, { nullable: true, description: 'null when Sharepool itself acted' })
  actor(@Parent() entry: AuditEntry, @Context() ctx: GraphqlContext): Promise<Member | null> | null {
    return entry.actorId ? memberLoader(ctx, this.memberService).load(entry.actorId) : null;
  }

  @ResolveField(() => ID, { nullable: true, description: 'the global id of what was acted on' })
  targetId(@Parent() entry: AuditEntry): string | null {
    return entry.targetId && /^[A-Z][A-Za-z]*$/.test(entry.targetType) ? toGlobalId(entry.targetType, entry.targetId) : null;
  }
}
