import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { pageRequest } from '@sharepool/kernel';
import { type Member as MemberRecord, MembersService } from '@sharepool/members';
import {
  type MonthlyExchange,
  type RelationshipOrder,
  type RelationshipRecord,
  RelationshipsService,
  type RelationshipSegment,
  TrustReview,
  type TrustStatus,
} from '@sharepool/relationships';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader } from '../members/member.loaders.js';
import { MemberModel } from '../members/member.model.js';
import { Viewer } from '../viewer/viewer.model.js';
import {
  RelationshipConnection,
  RelationshipModel,
  RelationshipMonthModel,
  RelationshipOrderEnum,
  RelationshipSegmentEnum,
  TrustStatusModel,
} from './relationships.model.js';

/** The viewer's relationships with peers and their trust level. */
@Resolver(() => Viewer)
export class ViewerRelationshipsResolver {
  constructor(
    private readonly relationshipService: RelationshipsService,
    private readonly trustReview: TrustReview,
  ) {}

  @ResolveField(() => TrustStatusModel)
  trust(@Parent() viewer: Viewer): Promise<TrustStatus> {
    return this.trustReview.status(viewer.actor);
  }

  @ResolveField(() => RelationshipConnection, { description: 'peers the viewer has a history with, either way' })
  async relationships(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('segment', { type: () => RelationshipSegmentEnum, nullable: true }) segment: RelationshipSegment | null,
    @Args('orderBy', { type: () => RelationshipOrderEnum, nullable: true, defaultValue: 'VALUE' }) orderBy: RelationshipOrder | null,
  ): Promise<ConnectionSource<RelationshipRecord>> {
    return toConnection(await this.relationshipService.list(viewer.actor, pageRequest(first, after), { segment, orderBy }));
  }

  @ResolveField(() => [RelationshipModel], { description: 'peers in segment SUPER_FAN, best first (orderBy VALUE)' })
  superFans(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 5 }) first: number,
  ): Promise<RelationshipRecord[]> {
    return this.relationshipService.superFans(viewer.actor, first);
  }

  @ResolveField(() => [RelationshipModel], { description: 'peers with owed > 0, most owed first, then most recently received' })
  waitingOnYou(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 5 }) first: number,
  ): Promise<RelationshipRecord[]> {
    return this.relationshipService.waitingOnYou(viewer.actor, first);
  }
}

@Resolver(() => RelationshipModel)
export class RelationshipResolver {
  constructor(
    private readonly memberService: MembersService,
    private readonly relationshipService: RelationshipsService,
  ) {}

  @ResolveField(() => MemberModel)
  async peer(@Parent() row: RelationshipRecord, @Context() ctx: GraphqlContext): Promise<MemberRecord> {
    return (await memberLoader(ctx, this.memberService).load(row.peerId))!;
  }

  @ResolveField(() => [RelationshipMonthModel], {
    description: 'POSTED shares each way per calendar month (UTC) over the last `months` months (1-24), oldest first',
  })
  activity(
    @Parent() row: RelationshipRecord,
    @Context() ctx: GraphqlContext,
    @Args('months', { type: () => Int, nullable: true, defaultValue: 12 }) months: number,
  ): Promise<MonthlyExchange[]> {
    return ctx.loaders
      .get<string, MonthlyExchange[]>(`relationship-months:${months}`, async (peerIds) => {
        const byPeer = await this.relationshipService.monthlyExchanges(ctx.actor, peerIds, months);
        return peerIds.map((id) => byPeer.get(id) ?? []);
      })
      .load(row.peerId);
  }
}
