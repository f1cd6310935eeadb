import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type AdminDashboard, AnalyticsService, type DashboardNiche, type RorWeek } from '@sharepool/analytics';
import type { Post } from '@sharepool/content';
import { type Actor } from '@sharepool/kernel';
import { ClickCountsService, type DailyCount, ShareLinksService } from '@sharepool/links';
import { type Niche, NichesService } from '@sharepool/members';
import { ShareActivityService, type Share } from '@sharepool/sharing';
import { PostModel } from '../content/post.model.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { nicheLoader } from '../members/member.loaders.js';
import { NicheModel } from '../members/member.model.js';
import { ShareModel } from '../sharing/sharing.model.js';
import { Viewer } from '../viewer/viewer.model.js';
import { postClicksLoader, postReachLoader, shareClicksLoader, shortUrlLoader } from './links.loaders.js';
import { AdminDashboardModel, DailyCountModel, DashboardNicheModel, RorWeekModel } from './links.model.js';

/** A share's short link and its clicks. */
@Resolver(() => ShareModel)
export class ShareLinkResolver {
  constructor(
    private readonly links: ShareLinksService,
    private readonly clickCounts: ClickCountsService,
  ) {}

  @ResolveField(() => String, {
    description: "the tracked link (PUBLIC_URL/s/<code>) that the posted message carries in place of the post's own URL",
  })
  shortUrl(@Parent() share: Share, @Context() ctx: GraphqlContext): Promise<string> {
    return shortUrlLoader(ctx, this.links).load(share.id);
  }

  @ResolveField(() => Int, { description: 'unique human visits through shortUrl' })
  clicks(@Parent() share: Share, @Context() ctx: GraphqlContext): Promise<number> {
    return shareClicksLoader(ctx, this.clickCounts).load(share.id);
  }
}

/** What a post's shares reached and brought. */
@Resolver(() => PostModel)
export class PostReachResolver {
  constructor(
    private readonly clickCounts: ClickCountsService,
    private readonly activity: ShareActivityService,
  ) {}

  @ResolveField(() => Int, { description: "unique human visits through the tracked links of this post's shares" })
  clicks(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<number> {
    return postClicksLoader(ctx, this.clickCounts).load(post.id);
  }

  @ResolveField(() => Int, { description: 'summed audience of the channels this post was POSTED to' })
  reach(@Parent() post: Post, @Context() ctx: GraphqlContext): Promise<number> {
    return postReachLoader(ctx, this.activity).load(post.id);
  }

  @ResolveField(() => [DailyCountModel], {
    description: 'AUTHOR, MODERATOR or ADMIN: clicks per day over the last `days` days (1-366), oldest first',
  })
  clickHistory(
    @Parent() post: Post,
    @CurrentActor() actor: Actor,
    @Args('days', { type: () => Int, nullable: true, defaultValue: 30 }) days: number,
  ): Promise<DailyCount[]> {
    return this.clickCounts.postHistory(actor, post, days);
  }
}

/** The viewer's return on relationship over time. */
@Resolver(() => Viewer)
export class ViewerReturnResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @ResolveField(() => [RorWeekModel], { description: 'the last `weeks` weeks (1-104), oldest first' })
  returnOnRelationship(
    @Parent() viewer: Viewer,
    @Args('weeks', { type: () => Int, nullable: true, defaultValue: 12 }) weeks: number,
  ): Promise<RorWeek[]> {
    return this.analytics.returnOnRelationship(viewer.actor, weeks);
  }
}

@Resolver(() => AdminDashboardModel)
export class AdminDashboardResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @Query(() => AdminDashboardModel, {
    description: 'ADMIN: active and new members, posts, shares and clicks per day over `days` days (1-366)',
  })
  adminDashboard(
    @CurrentActor() actor: Actor,
    @Args('days', { type: () => Int, nullable: true, defaultValue: 30 }) days: number,
  ): Promise<AdminDashboard> {
    return this.analytics.adminDashboard(actor, days);
  }
}

@Resolver(() => DashboardNicheModel)
export class DashboardNicheResolver {
  constructor(private readonly niches: NichesService) {}

  @ResolveField(() => NicheModel)
  async niche(@Parent() row: DashboardNiche, @Context() ctx: GraphqlContext): Promise<Niche> {
    return (await nicheLoader(ctx, this.niches).load(row.nicheId))!;
  }
}
