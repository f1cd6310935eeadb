import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { TrustLevel } from '@sharepool/config';
import { type Actor, Clock, NotFoundError } from '@sharepool/kernel';
import { type Member as MemberRecord, MembersService } from '@sharepool/members';
import { TrustLevels } from '@sharepool/trust';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { MemberModel } from '../members/member.model.js';
import { SetTrustLevelInput, TrustLevelEnum } from './relationships.model.js';
import { trustLevelLoader } from './trust.loaders.js';

/** Members' trust levels, and admins setting them. */
@Resolver(() => MemberModel)
export class TrustResolver {
  constructor(
    private readonly trust: TrustLevels,
    private readonly memberService: MembersService,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => TrustLevelEnum)
  trustLevel(@Parent() member: MemberRecord, @Context() ctx: GraphqlContext): Promise<TrustLevel> {
    return trustLevelLoader(ctx, this.trust).load(member.id);
  }

  @Mutation(() => MemberModel, { description: 'ADMIN' })
  async setTrustLevel(@CurrentActor() actor: Actor, @Args('input') input: SetTrustLevelInput): Promise<MemberRecord> {
    const memberId = parseGlobalId(input.memberId, 'Member', 'memberId');
    await this.trust.setByAdmin(actor, { memberId, level: input.level, reason: input.reason, lock: input.lock ?? true }, this.clock.now());
    const [member] = await this.memberService.findByIds([memberId]);
    if (!member) throw new NotFoundError('Member', { field: 'memberId' });
    return member;
  }
}
