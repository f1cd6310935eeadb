import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, pageRequest, requireRole, type Role } from '@sharepool/kernel';
import { type Member, MembersService, type MemberStatus, NichesService } from '@sharepool/members';
import { Connection, type ConnectionSource, toConnection } from '../graphql/connection.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { ReinstateMemberInput, SetRoleInput, SuspendMemberInput, UpdateProfileInput } from './member.inputs.js';
import { memberLoader, memberNichesLoader } from './member.loaders.js';
import { MemberModel, MemberStatusEnum, NicheModel, RoleEnum } from './member.model.js';

const MemberConnection = Connection(MemberModel, 'Member');

@Resolver(() => MemberModel)
export class MemberResolver implements OnModuleInit {
  constructor(
    private readonly memberService: MembersService,
    private readonly nicheService: NichesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Member', async (ctx, id) => {
      const member = await memberLoader(ctx, this.memberService).load(id);
      return member && this.memberService.isVisible(ctx.actor, member) ? member : null;
    });
  }

  @Query(() => MemberModel, { nullable: true })
  member(@CurrentActor() actor: Actor, @Args('handle') handle: string): Promise<Member | null> {
    return this.memberService.findByHandle(actor, handle);
  }

  @Query(() => MemberConnection, { description: 'MODERATOR or ADMIN: members by handle, email or display name, newest first' })
  async members(
    @CurrentActor() actor: Actor,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('status', { type: () => MemberStatusEnum, nullable: true }) status: MemberStatus | null,
    @Args('role', { type: () => RoleEnum, nullable: true }) role: Role | null,
  ): Promise<ConnectionSource<Member>> {
    return toConnection(await this.memberService.search(actor, pageRequest(first, after), { search, status, role }));
  }

  @ResolveField(() => [NicheModel])
  niches(@Parent() member: Member, @Context() ctx: GraphqlContext) {
    return memberNichesLoader(ctx, this.nicheService).load(member.id);
  }

  @ResolveField(() => String, { nullable: true, description: 'MODERATOR or ADMIN: why the member is suspended' })
  suspendedReason(@Parent() member: Member, @CurrentActor() actor: Actor): string | null {
    requireRole(actor, 'MODERATOR', 'READ');
    return member.suspendedReason;
  }

  @Mutation(() => MemberModel)
  updateProfile(@CurrentActor() actor: Actor, @Args('input') input: UpdateProfileInput): Promise<Member> {
    return this.memberService.updateProfile(actor, input);
  }

  @Mutation(() => MemberModel, { description: 'MODERATOR or ADMIN' })
  suspendMember(@CurrentActor() actor: Actor, @Args('input') input: SuspendMemberInput): Promise<Member> {
    return this.memberService.suspend(actor, parseGlobalId(input.memberId, 'Member', 'memberId'), input.reason);
  }

  @Mutation(() => MemberModel, { description: 'MODERATOR or ADMIN: lift a suspension' })
  reinstateMember(@CurrentActor() actor: Actor, @Args('input') input: ReinstateMemberInput): Promise<Member> {
    return this.memberService.reinstate(actor, parseGlobalId(input.memberId, 'Member', 'memberId'), input.reason);
  }

  @Mutation(() => MemberModel, { description: 'ADMIN' })
  setRole(@CurrentActor() actor: Actor, @Args('input') input: SetRoleInput): Promise<Member> {
    return this.memberService.setRole(actor, parseGlobalId(input.memberId, 'Member', 'memberId'), input.role);
  }
}
