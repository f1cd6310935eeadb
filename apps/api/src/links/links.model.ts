import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { DashboardNiche } from '@sharepool/analytics';

@ObjectType('DailyCount')
export class DailyCountModel {
  @Field() day: Date;
  @Field(() => Int) count: number;
}

@ObjectType('RorWeek', { description: "One week (starting Monday, UTC) of what the viewer's sharing gave and brought." })
export class RorWeekModel {
  @Field() weekStart: Date;
  @Field(() => Int, { description: "POSTED shares by the viewer of peers' posts" }) sharesGiven: number;
  @Field(() => Int, { description: "POSTED shares by peers of the viewer's posts" }) sharesReceived: number;
  @Field(() => Int) creditsEarned: number;
  @Field(() => Int, { description: "credits paid from the viewer's posts' budgets to sharers" }) creditsSpent: number;
  @Field(() => Int, { description: "audience reached by peers' shares of the viewer's posts" }) reachReceived: number;
  @Field(() => Int, { description: "unique human visits through the links of peers' shares of the viewer's posts" })
  clicksReceived: number;
}

@ObjectType('DashboardDay', { description: 'One UTC day of the whole community.' })
export class DashboardDayModel {
  @Field() day: Date;
  @Field(() => Int, { description: 'members who made a share or submitted a post that day' }) activeMembers: number;
  @Field(() => Int, { description: 'members who joined that day' }) newMembers: number;
  @Field(() => Int) postsSubmitted: number;
  @Field(() => Int) sharesPosted: number;
  @Field(() => Int, { description: 'shares that failed for good that day' }) sharesFailed: number;
  @Field(() => Int, { description: 'unique human visits through short links' }) clicks: number;
}

@ObjectType('DashboardNiche', { description: "A niche's activity over the dashboard's period." })
export class DashboardNicheModel implements Omit<DashboardNiche, 'nicheId'> {
  nicheId: string;
  @Field(() => Int) postsSubmitted: number;
  @Field(() => Int) sharesPosted: number;
  @Field(() => Int) clicks: number;
  // niche: AdminDashboardResolver.
}

@ObjectType('AdminDashboard', { description: 'ADMIN: the community per day, and its busiest niches over the same days.' })
export class AdminDashboardModel {
  @Field(() => [DashboardDayModel], { description: 'oldest first' }) days: DashboardDayModel[];
  @Field(() => [DashboardNicheModel], { description: 'by shares posted, then clicks; at most 5' }) topNiches: DashboardNicheModel[];
}
