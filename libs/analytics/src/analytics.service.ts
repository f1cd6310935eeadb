import { Injectable } from '@nestjs/common';
import { type Actor, InvalidInputError, requireMember, requireRole } from '@sharepool/kernel';
import { ClickCountsService } from '@sharepool/links';
import { MembersService } from '@sharepool/members';
import { ShareActivityService, type WeeklySharing } from '@sharepool/sharing';

/** One week of what a member's sharing gave and brought (the contract's RorWeek). */
export interface RorWeek extends WeeklySharing {
  /** Unique human visits through the links of peers' shares of the member's posts. */
  readonly clicksReceived: number;
}

export interface DashboardDay {
  readonly day: Date;
  readonly activeMembers: number;
  readonly newMembers: number;
  readonly postsSubmitted: number;
  readonly sharesPosted: number;
  readonly sharesFailed: number;
  readonly clicks: number;
}

export interface DashboardNiche {
  readonly nicheId: string;
  readonly postsSubmitted: number;
  readonly sharesPosted: number;
  readonly clicks: number;
}

export interface AdminDashboard {
  readonly days: readonly DashboardDay[];
  /** The busiest niches of the period: by shares posted, then clicks. */
  readonly topNiches: readonly DashboardNiche[];
}

const TOP_NICHES = 5;

/** Figures over time that join several domains; each domain computes its own part. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly activity: ShareActivityService,
    private readonly clicks: ClickCountsService,
    private readonly members: MembersService,
  ) {}

  /** The member's return on relationship over the last `weeks` weeks (1-104), oldest first. */
  async returnOnRelationship(actor: Actor, weeks: number): Promise<RorWeek[]> {
    const me = requireMember(actor, 'READ');
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new InvalidInputError('weeks', 'weeks is 1 to 104');
    const [sharing, clicks] = await Promise.all([
      this.activity.weekly(me.memberId, weeks),
      this.clicks.receivedPerWeek(me.memberId, weeks),
    ]);
    const clicksByWeek = new Map(clicks.map((w) => [w.weekStart.getTime(), w.count]));
    return sharing.map((week) => ({ ...week, clicksReceived: clicksByWeek.get(week.weekStart.getTime()) ?? 0 }));
  }

  /** ADMIN: the community per day over the last `days` days (1-366), and its top niches over them. */
  async adminDashboard(actor: Actor, days: number): Promise<AdminDashboard> {
    requireRole(actor, 'ADMIN', 'READ');
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new InvalidInputError('days', 'days is 1 to 366');
    const [sharing, joined, clicks, niches, nicheClicks] = await Promise.all([
      this.activity.perDay(days),
      this.members.joinedPerDay(days),
      this.clicks.perDay(days),
      this.activity.byNiche(days),
      this.clicks.byNiche(days),
    ]);
    const joinedByDay = new Map(joined.map((d) => [d.day.getTime(), d.count]));
    const clicksByDay = new Map(clicks.map((d) => [d.day.getTime(), d.count]));
    const topNiches = niches
      .map((n) => ({ ...n, clicks: nicheClicks.get(n.nicheId) ?? 0 }))
      .sort((a, b) => b.sharesPosted - a.sharesPosted || b.clicks - a.clicks || b.postsSubmitted - a.postsSubmitted)
      .slice(0, TOP_NICHES);
    return {
      days: sharing.map((day) => ({
        ...day,
        newMembers: joinedByDay.get(day.day.getTime()) ?? 0,
        clicks: clicksByDay.get(day.day.getTime()) ?? 0,
      })),
      topNiches,
    };
  }
}
