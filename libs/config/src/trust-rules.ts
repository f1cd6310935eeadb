import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** Know → like → trust: what a member may do grows with their history here. In order, lowest first. */
export const TRUST_LEVELS = ['NEW', 'BASIC', 'MEMBER', 'TRUSTED', 'LEADER'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

/** What a level allows. */
export interface TrustPrivileges {
  /** Shares a member may schedule in any 24 hours. */
  readonly sharesPerDay: number;
  /** Posts a member may submit in any 24 hours. */
  readonly postsPerDay: number;
  /** The most credits per share a member's post may offer. */
  readonly maxCreditsPerShare: number;
  /** Posts are APPROVED on submission (audit-logged; moderators can still reject them). */
  readonly postsSkipReview: boolean;
}

/**
 * One thing a level asks of a member, counted from their history at the time
 * of the check. `atLeast` requirements are met when the count reaches it,
 * `atMost` ones while the count stays at or under it.
 */
export type TrustRequirementRule =
  /** Whole days since the member joined. */
  | { readonly measure: 'daysSinceJoining'; readonly atLeast: number }
  /** The member's POSTED shares (of peers' posts), all time or within the last `withinDays` days. */
  | { readonly measure: 'postedShares'; readonly atLeast: number; readonly withinDays?: number }
  /** Different authors among those shares. */
  | { readonly measure: 'authorsShared'; readonly atLeast: number; readonly withinDays?: number }
  /** Different peers who shared the member's posts (POSTED). */
  | { readonly measure: 'sharedByPeers'; readonly atLeast: number }
  /** The member's posts that were approved (by a moderator, or on submission). */
  | { readonly measure: 'approvedPosts'; readonly atLeast: number }
  /** The member's posts rejected within the last `withinDays` days. */
  | { readonly measure: 'rejectedPosts'; readonly atMost: number; readonly withinDays: number }
  /** Rejected posts among the member's last `lastPosts` reviewed posts. */
  | { readonly measure: 'rejectedOfLastPosts'; readonly atMost: number; readonly lastPosts: number }
  /** Times the member was suspended within the last `withinDays` days. */
  | { readonly measure: 'suspensions'; readonly atMost: number; readonly withinDays: number };

export interface TrustLevelRule {
  readonly level: TrustLevel;
  /**
   * What reaching this level from the one below takes, all of it at once;
   * null when only an admin grants it (LEADER). NEW asks nothing.
   */
  readonly requirements: readonly TrustRequirementRule[] | null;
  readonly privileges: TrustPrivileges;
}

/** The one table of trust levels: requirements and privileges, lowest level first. */
export interface TrustRules {
  readonly levels: readonly TrustLevelRule[];
  /** Days in a row a member must fail their level's requirements before the daily review demotes them. */
  readonly demotionGraceDays: number;
}

export const DEFAULT_TRUST_RULES: TrustRules = {
  levels: [
    { level: 'NEW', requirements: [], privileges: { sharesPerDay: 10, postsPerDay: 3, maxCreditsPerShare: 10, postsSkipReview: false } },
    {
      level: 'BASIC',
      requirements: [
        { measure: 'daysSinceJoining', atLeast: 3 },
        { measure: 'postedShares', atLeast: 3 },
        { measure: 'rejectedPosts', atMost: 0, withinDays: 30 },
      ],
      privileges: { sharesPerDay: 20, postsPerDay: 5, maxCreditsPerShare: 25, postsSkipReview: false },
    },
    {
      level: 'MEMBER',
      requirements: [
        { measure: 'daysSinceJoining', atLeast: 14 },
        { measure: 'postedShares', atLeast: 15 },
        { measure: 'authorsShared', atLeast: 3 },
        { measure: 'sharedByPeers', atLeast: 2 },
        { measure: 'rejectedOfLastPosts', atMost: 1, lastPosts: 10 },
      ],
      privileges: { sharesPerDay: 30, postsPerDay: 10, maxCreditsPerShare: 50, postsSkipReview: false },
    },
    {
      level: 'TRUSTED',
      requirements: [
        { measure: 'daysSinceJoining', atLeast: 60 },
        { measure: 'postedShares', atLeast: 50, withinDays: 100 },
        { measure: 'authorsShared', atLeast: 10, withinDays: 100 },
        { measure: 'approvedPosts', atLeast: 5 },
        { measure: 'rejectedPosts', atMost: 0, withinDays: 100 },
        { measure: 'suspensions', atMost: 0, withinDays: 100 },
      ],
      privileges: { sharesPerDay: 40, postsPerDay: 20, maxCreditsPerShare: 100, postsSkipReview: true },
    },
    {
      level: 'LEADER',
      requirements: null,
      privileges: { sharesPerDay: 50, postsPerDay: 30, maxCreditsPerShare: 100, postsSkipReview: true },
    },
  ],
  demotionGraceDays: 14,
};

const count = z.number().int().min(0).max(100_000);
const days = z.number().int().min(1).max(3650);
const requirementSchema = z.discriminatedUnion('measure', [
  z.strictObject({ measure: z.literal('daysSinceJoining'), atLeast: count }),
  z.strictObject({ measure: z.literal('postedShares'), atLeast: count, withinDays: days.optional() }),
  z.strictObject({ measure: z.literal('authorsShared'), atLeast: count, withinDays: days.optional() }),
  z.strictObject({ measure: z.literal('sharedByPeers'), atLeast: count }),
  z.strictObject({ measure: z.literal('approvedPosts'), atLeast: count }),
  z.strictObject({ measure: z.literal('rejectedPosts'), atMost: count, withinDays: days }),
  z.strictObject({ measure: z.literal('rejectedOfLastPosts'), atMost: count, lastPosts: z.number().int().min(1).max(1000) }),
  z.strictObject({ measure: z.literal('suspensions'), atMost: count, withinDays: days }),
]);
const perDay = z.number().int().min(1).max(100_000);
const levelOverrideSchema = z.strictObject({
  privileges: z
    .strictObject({
      sharesPerDay: perDay,
      postsPerDay: perDay,
      // Posts offer 1 to 100 credits per share (the database holds that too).
      maxCreditsPerShare: z.number().int().min(1).max(100),
      postsSkipReview: z.boolean(),
    })
    .partial()
    .optional(),
  requirements: z.array(requirementSchema).max(20).optional(),
});
const overrideSchema = z.strictObject({
  levels: z.partialRecord(z.enum(TRUST_LEVELS), levelOverrideSchema).optional(),
  demotionGraceDays: z.number().int().min(1).max(365).optional(),
});

/**
 * The trust table with TRUST_RULES applied: JSON that changes some levels'
 * privileges or replaces their requirements, e.g.
 * `{"levels":{"NEW":{"privileges":{"sharesPerDay":5}}},"demotionGraceDays":7}`.
 * NEW asks nothing and LEADER is granted by an admin only, whatever it says.
 */
export function trustRulesFrom(json: string | undefined): TrustRules {
  if (json === undefined || json.trim() === '') return DEFAULT_TRUST_RULES;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('TRUST_RULES', 'must be JSON');
  }
  const parsed = overrideSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('TRUST_RULES', `${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  const override = parsed.data;
  for (const level of ['NEW', 'LEADER'] as const) {
    if (override.levels?.[level]?.requirements) {
      throw new ConfigError(
        'TRUST_RULES',
        `levels.${level}.requirements cannot be set: ${level === 'NEW' ? 'NEW asks nothing' : 'an admin grants LEADER'}`,
      );
    }
  }
  return {
    levels: DEFAULT_TRUST_RULES.levels.map((rule) => {
      const change = override.levels?.[rule.level];
      return change
        ? {
            level: rule.level,
            requirements: change.requirements ?? rule.requirements,
            privileges: { ...rule.privileges, ...change.privileges },
          }
        : rule;
    }),
    demotionGraceDays: override.demotionGraceDays ?? DEFAULT_TRUST_RULES.demotionGraceDays,
  };
}
