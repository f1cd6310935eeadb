import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@sharepool/audit';
import { AppConfig, type TrustLevel, type TrustLevelRule, type TrustPrivileges, type TrustRequirementRule } from '@sharepool/config';
import { PostsService } from '@sharepool/content';
import { TransactionRunner } from '@sharepool/database';
import { type Actor, Clock, DAY_MS, NotFoundError, requireMember } from '@sharepool/kernel';
import { type Member as MemberRecord, MembersService } from '@sharepool/members';
import { TRUST_REVIEWER, TrustLevels, type TrustStanding } from '@sharepool/trust';
import { RelationshipsService } from './relationships.service.js';

/** One requirement of a level, and how far a member is. */
export interface TrustRequirementStatus {
  readonly name: string;
  readonly description: string;
  readonly have: number;
  readonly need: number;
  readonly met: boolean;
}

/** Where a member stands and what the next level takes. */
export interface TrustStatus {
  readonly level: TrustLevel;
  readonly since: Date;
  /** The next level; null at the top (TRUSTED: LEADER is granted by an admin) or while locked. */
  readonly next: TrustLevel | null;
  readonly requirements: readonly TrustRequirementStatus[];
  readonly privileges: TrustPrivileges;
  readonly locked: boolean;
}

/** Members looked at per round of the due list. */
const DUE_BATCH = 100;
/** A look that failed is tried again this much later. */
const RETRY_MS = 60_000;

/** Each measure's count for one member at one time, read once however many requirements use it. */
class History {
  private readonly sharing;
  private readonly reviews;
  private readonly suspensions = new Map<number, Promise<number>>();

  constructor(
    private readonly member: MemberRecord,
    private readonly at: Date,
    rules: readonly TrustRequirementRule[],
    relationships: RelationshipsService,
    posts: PostsService,
    private readonly audit: AuditLog,
  ) {
    const sharingDays = unique(
      rules.flatMap((r) => ((r.measure === 'postedShares' || r.measure === 'authorsShared') && r.withinDays ? [r.withinDays] : [])),
    );
    const rejectedDays = unique(rules.flatMap((r) => (r.measure === 'rejectedPosts' ? [r.withinDays] : [])));
    const lastPosts = unique(rules.flatMap((r) => (r.measure === 'rejectedOfLastPosts' ? [r.lastPosts] : [])));
    this.sharing = {
      days: sharingDays,
      record: relationships.sharingRecord(
        member.id,
        sharingDays.map((d) => this.daysAgo(d)),
      ),
    };
    this.reviews = {
      days: rejectedDays,
      lastPosts,
      record: posts.reviewRecord(member.id, { rejectedSince: rejectedDays.map((d) => this.daysAgo(d)), lastPosts }),
    };
  }

  async have(rule: TrustRequirementRule): Promise<number> {
    switch (rule.measure) {
      case 'daysSinceJoining':
        return Math.max(0, Math.floor((this.at.getTime() - this.member.createdAt.getTime()) / DAY_MS));
      case 'postedShares': {
        const record = await this.sharing.record;
        return rule.withinDays ? record.postedSharesSince[this.sharing.days.indexOf(rule.withinDays)]! : record.postedShares;
      }
      case 'authorsShared': {
        const record = await this.sharing.record;
        return rule.withinDays ? record.authorsSharedSince[this.sharing.days.indexOf(rule.withinDays)]! : record.authorsShared;
      }
      case 'sharedByPeers':
        return (await this.sharing.record).sharedByPeers;
      case 'approvedPosts':
        return (await this.reviews.record).approved;
      case 'rejectedPosts':
        return (await this.reviews.record).rejectedSince[this.reviews.days.indexOf(rule.withinDays)]!;
      case 'rejectedOfLastPosts':
        return (await this.reviews.record).rejectedOfLast[this.reviews.lastPosts.indexOf(rule.lastPosts)]!;
      case 'suspensions': {
        let count = this.suspensions.get(rule.withinDays);
        if (!count) {
          count = this.audit.countSince({ type: 'Member', id: this.member.id }, 'MEMBER_SUSPENDED', this.daysAgo(rule.withinDays));
          this.suspensions.set(rule.withinDays, count);
        }
        return count;
      }
    }
  }

  async check(rule: TrustLevelRule): Promise<TrustRequirementStatus[]> {
    return Promise.all((rule.requirements ?? []).map(async (requirement) => statusOf(requirement, await this.have(requirement))));
  }

  private daysAgo(days: number): Date {
    return new Date(this.at.getTime() - days * DAY_MS);
  }
}

/**
 * Trust levels that grow with history: a member is promoted as soon as their
 * history meets the next level's requirements (a worker looks at members
 * whose history changed within TRUST_REVIEW_SECONDS), and demoted only by the
 * daily review, after failing their level's requirements for the grace period
 * in a row, so levels do not flap. Admins' locks are left alone; every change
 * is in the audit log with its reason (TrustLevels).
 */
@Injectable()
export class TrustReview {
  private readonly logger = new Logger('TrustReview');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly trust: TrustLevels,
    private readonly members: MembersService,
    private readonly posts: PostsService,
    private readonly relationships: RelationshipsService,
    private readonly audit: AuditLog,
  ) {}

  /** The actor's level, what it allows, and what the next level takes with how far they are. */
  async status(actor: Actor): Promise<TrustStatus> {
    const me = requireMember(actor, 'READ');
    const at = this.clock.now();
    const [member] = await this.members.findByIds([me.memberId]);
    if (!member) throw new NotFoundError('Member');
    const standing = await this.trust.standing(member.id);
    const next = standing.locked ? null : this.trust.nextAutomatic(standing.level);
    return {
      level: standing.level,
      since: standing.since ?? member.createdAt,
      next: next?.level ?? null,
      requirements: next ? await this.history(member, at).check(next) : [],
      privileges: this.trust.privileges(standing.level),
      locked: standing.locked,
    };
  }

  /**
   * Promotes a member as far as their history goes now, a level at a time;
   * when only time stands in the way of the next level (days since joining,
   * a rejection or suspension that has yet to age), looks again then.
   * Returns the level the member ends at.
   */
  async review(memberId: string): Promise<TrustLevel> {
    const at = this.clock.now();
    const [member] = await this.members.findByIds([memberId]);
    if (!member) return 'NEW';
    let standing = await this.trust.standing(memberId);
    if (standing.locked || member.status !== 'ACTIVE') return standing.level;
    const history = this.history(member, at);
    for (let next = this.trust.nextAutomatic(standing.level); next; next = this.trust.nextAutomatic(standing.level)) {
      const unmet = (await history.check(next)).filter((r) => !r.met);
      if (unmet.length > 0) {
        const again = this.whenTimeMeets(next, unmet, member, at);
        if (again) await this.transactions.run((tx) => this.trust.reviewSoon(tx, [memberId], again));
        break;
      }
      const from = standing.level;
      const promoted = await this.transactions.run((tx) =>
        this.trust.change(tx, TRUST_REVIEWER, memberId, {
          to: next.level,
          expectedFrom: from,
          at,
          reason: `Met every requirement of ${next.level}`,
        }),
      );
      if (!promoted) break;
      standing = { ...standing, level: next.level, since: at };
    }
    return standing.level;
  }

  /** Looks at the members due now (their history changed, or a day count came); returns how many it looked at. */
  async reviewDue(): Promise<number> {
    let looked = 0;
    for (;;) {
      const due = await this.trust.takeDue(this.clock.now(), DUE_BATCH);
      for (const memberId of due) {
        try {
          await this.review(memberId);
        } catch (error) {
          this.logger.error(`reviewing the trust level of member ${memberId} failed: ${(error as Error).message}`, (error as Error).stack);
          await this.transactions.run((tx) => this.trust.reviewSoon(tx, [memberId], new Date(this.clock.now().getTime() + RETRY_MS)));
        }
      }
      looked += due.length;
      if (due.length < DUE_BATCH) return looked;
    }
  }

  /**
   * Once a day (the clock's UTC day; a second run that day does nothing):
   * moves the RFM window on, and looks at every member above NEW whose level
   * is automatic. One who fails their level's requirements is noted from the
   * first such day; after the grace period of failing days in a row they drop
   * to the highest level below whose requirements they meet. Returns null when
   * the day was already reviewed.
   */
  async daily(): Promise<{ looked: number; demoted: number } | null> {
    const at = this.clock.now();
    if (!(await this.trust.claimDailyReview(at.toISOString().slice(0, 10)))) return null;
    await this.relationships.rollWindow(at);
    const held = await this.trust.automaticallyHeld();
    let demoted = 0;
    for (const standing of held) {
      try {
        if (await this.keepOrDemote(standing.memberId, standing, at)) demoted++;
      } catch (error) {
        this.logger.error(
          `the daily trust review of member ${standing.memberId} failed: ${(error as Error).message}`,
          (error as Error).stack,
        );
      }
    }
    return { looked: held.length, demoted };
  }

  private async keepOrDemote(memberId: string, standing: TrustStanding, at: Date): Promise<boolean> {
    const [member] = await this.members.findByIds([memberId]);
    if (!member) return false;
    const history = this.history(member, at);
    const unmet = (await history.check(this.trust.rule(standing.level))).filter((r) => !r.met);
    if (unmet.length === 0) {
      if (standing.failingSince) await this.transactions.run((tx) => this.trust.setFailingSince(tx, memberId, null));
      return false;
    }
    const failingSince = standing.failingSince ?? at;
    const graceMs = this.config.trustRules.demotionGraceDays * DAY_MS;
    if (at.getTime() - failingSince.getTime() < graceMs) {
      if (!standing.failingSince) await this.transactions.run((tx) => this.trust.setFailingSince(tx, memberId, at));
      return false;
    }
    let to: TrustLevel = 'NEW';
    for (const lower of this.trust.automaticBelow(standing.level)) {
      if ((await history.check(lower)).every((r) => r.met)) {
        to = lower.level;
        break;
      }
    }
    const days = this.config.trustRules.demotionGraceDays;
    const reason = `Did not meet the requirements of ${standing.level} for ${days} days in a row: ${unmet.map(describeShortfall).join('; ')}`;
    return this.transactions.run((tx) => this.trust.change(tx, TRUST_REVIEWER, memberId, { to, expectedFrom: standing.level, at, reason }));
  }

  /**
   * When the next level's unmet requirements are all ones that time alone
   * changes (days since joining; a rejection or suspension still inside its
   * window), when to look again; null when the member has something to do.
   */
  private whenTimeMeets(next: TrustLevelRule, unmet: readonly TrustRequirementStatus[], member: MemberRecord, at: Date): Date | null {
    const rules = (next.requirements ?? []).filter((rule) => unmet.some((u) => u.name === requirementName(rule)));
    if (!rules.every((r) => r.measure === 'daysSinceJoining' || r.measure === 'rejectedPosts' || r.measure === 'suspensions')) return null;
    const times = rules.map((rule) =>
      rule.measure === 'daysSinceJoining'
        ? member.createdAt.getTime() + rule.atLeast * DAY_MS
        : // An old rejection or suspension leaves its window some day: look daily until it has.
          at.getTime() + DAY_MS,
    );
    return new Date(Math.max(at.getTime(), Math.min(...times)));
  }

  private history(member: MemberRecord, at: Date): History {
    const rules = this.config.trustRules.levels.flatMap((level) => level.requirements ?? []);
    return new History(member, at, rules, this.relationships, this.posts, this.audit);
  }
}

/** A requirement's name, unique within its level: the measure and its window. */
export function requirementName(rule: TrustRequirementRule): string {
  switch (rule.measure) {
    case 'postedShares':
    case 'authorsShared':
      return rule.withinDays ? `${rule.measure}Last${rule.withinDays}Days` : rule.measure;
    case 'rejectedPosts':
    case 'suspensions':
      return `${rule.measure}Last${rule.withinDays}Days`;
    case 'rejectedOfLastPosts':
      return `rejectedOfLast${rule.lastPosts}Posts`;
    default:
      return rule.measure;
  }
}

/** What a requirement counts, in words a member understands. */
export function requirementDescription(rule: TrustRequirementRule): string {
  const within = (days?: number) => (days ? ` in the last ${days} days` : '');
  switch (rule.measure) {
    case 'daysSinceJoining':
      return `Days since you joined: at least ${rule.atLeast}`;
    case 'postedShares':
      return `Your shares of peers' posts that went out${within(rule.withinDays)}: at least ${rule.atLeast}`;
    case 'authorsShared':
      return `Different authors whose posts you shared${within(rule.withinDays)}: at least ${rule.atLeast}`;
    case 'sharedByPeers':
      return `Different peers who shared your posts: at least ${rule.atLeast}`;
    case 'approvedPosts':
      return `Your posts approved: at least ${rule.atLeast}`;
    case 'rejectedPosts':
      return `Your posts rejected${within(rule.withinDays)}: at most ${rule.atMost}`;
    case 'rejectedOfLastPosts':
      return `Rejected among your last ${rule.lastPosts} reviewed posts: at most ${rule.atMost}`;
    case 'suspensions':
      return `Suspensions${within(rule.withinDays)}: at most ${rule.atMost}`;
  }
}

function statusOf(rule: TrustRequirementRule, have: number): TrustRequirementStatus {
  const need = 'atLeast' in rule ? rule.atLeast : rule.atMost;
  return {
    name: requirementName(rule),
    description: requirementDescription(rule),
    have,
    need,
    met: 'atLeast' in rule ? have >= need : have <= need,
  };
}

function describeShortfall(requirement: TrustRequirementStatus): string {
  return `${requirement.description} (has ${requirement.have})`;
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}
