import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { TrustLevel, TrustPrivileges } from '@sharepool/config';
import type {
  MonthlyExchange,
  RelationshipOrder,
  RelationshipRecord,
  RelationshipSegment,
  RfmScore,
  TrustRequirementStatus,
  TrustStatus,
} from '@sharepool/relationships';
import { Connection } from '../graphql/connection.js';

export const TrustLevelEnum = {
  NEW: 'NEW',
  BASIC: 'BASIC',
  MEMBER: 'MEMBER',
  TRUSTED: 'TRUSTED',
  LEADER: 'LEADER',
} as const satisfies Record<TrustLevel, TrustLevel>;
registerEnumType(TrustLevelEnum, {
  name: 'TrustLevel',
  description: 'Know, like, trust: what a member may do grows with their history here.',
  valuesMap: { LEADER: { description: 'granted by an admin only' } },
});

export const RelationshipSegmentEnum = {
  SUPER_FAN: 'SUPER_FAN',
  LOYAL: 'LOYAL',
  NEW: 'NEW',
  AT_RISK: 'AT_RISK',
  LAPSED: 'LAPSED',
  OCCASIONAL: 'OCCASIONAL',
  NOT_YET: 'NOT_YET',
} as const satisfies Record<RelationshipSegment, RelationshipSegment>;
registerEnumType(RelationshipSegmentEnum, {
  name: 'RelationshipSegment',
  description: "How one peer has treated the viewer lately: RFM of the peer's POSTED shares of the viewer's posts.",
  valuesMap: {
    SUPER_FAN: { description: 'recency >= 4 and frequency >= 4' },
    LOYAL: { description: 'recency >= 3 and frequency >= 3' },
    NEW: { description: 'first shared the viewer within the last 30 days, frequency <= 2' },
    AT_RISK: { description: 'frequency >= 3 and recency <= 2: used to share the viewer, has stopped' },
    LAPSED: { description: 'frequency <= 2 and recency <= 2' },
    OCCASIONAL: { description: 'any other peer who shared the viewer' },
    NOT_YET: { description: 'the viewer shared the peer; the peer never shared the viewer' },
  },
});

export const RelationshipOrderEnum = { VALUE: 'VALUE', OWED: 'OWED', RECENT: 'RECENT' } as const satisfies Record<
  RelationshipOrder,
  RelationshipOrder
>;
registerEnumType(RelationshipOrderEnum, {
  name: 'RelationshipOrder',
  valuesMap: {
    VALUE: { description: 'recency, then frequency, then monetary, highest first' },
    OWED: { description: 'owed, highest first' },
    RECENT: { description: 'the latest share either way first' },
  },
});

@ObjectType('TrustRequirement')
export class TrustRequirementModel implements TrustRequirementStatus {
  @Field() name: string;
  @Field({ description: 'what counts, in words a member understands' }) description: string;
  @Field(() => Int) have: number;
  @Field(() => Int) need: number;
  @Field() met: boolean;
}

@ObjectType('TrustPrivileges')
export class TrustPrivilegesModel implements TrustPrivileges {
  @Field(() => Int) sharesPerDay: number;
  @Field(() => Int) postsPerDay: number;
  @Field(() => Int) maxCreditsPerShare: number;
  @Field({ description: 'posts are APPROVED on submission (still in the audit log; moderators can withdraw them)' })
  postsSkipReview: boolean;
}

@ObjectType('TrustStatus')
export class TrustStatusModel implements TrustStatus {
  @Field(() => TrustLevelEnum) level: TrustLevel;
  @Field() since: Date;
  @Field(() => TrustLevelEnum, { nullable: true, description: 'the next level; null at the top or while locked' }) next: TrustLevel | null;
  @Field(() => [TrustRequirementModel], { description: 'what the next level needs, each with how far the member is' })
  requirements: TrustRequirementStatus[];
  @Field(() => TrustPrivilegesModel) privileges: TrustPrivileges;
  @Field({ description: 'set by an admin: automatic promotion and demotion do not apply' }) locked: boolean;
}

@ObjectType('RfmScore')
export class RfmScoreModel implements RfmScore {
  @Field(() => Int, { description: '5: the peer last shared the viewer within 7 days; 4: 30; 3: 90; 2: 180; 1: longer ago' })
  recency: number;
  @Field(() => Int, {
    description: "by the peer's POSTED shares of the viewer's posts in the last 365 days: 1: 1; 2: 2+; 3: 5+; 4: 10+; 5: 20+",
  })
  frequency: number;
  @Field(() => Int, {
    description: 'by the audience those shares reached in the last 365 days: 1: under 500; 2: 500+; 3: 2,000+; 4: 10,000+; 5: 50,000+',
  })
  monetary: number;
}

@ObjectType('Relationship')
export class RelationshipModel implements Omit<RelationshipRecord, 'peerId'> {
  peerId: string;
  // peer: RelationshipResolver.
  @Field(() => RelationshipSegmentEnum) segment: RelationshipSegment;
  @Field(() => RfmScoreModel, { nullable: true, description: 'null when the peer never shared the viewer' }) rfm: RfmScore | null;
  @Field(() => Int, { description: "POSTED shares by the viewer of the peer's posts" }) sharesGiven: number;
  @Field(() => Int, { description: "POSTED shares by the peer of the viewer's posts" }) sharesReceived: number;
  @Field(() => Int, { description: "audience reached by the viewer's shares of the peer's posts" }) reachGiven: number;
  @Field(() => Int, { description: "audience reached by the peer's shares of the viewer's posts" }) reachReceived: number;
  @Field(() => Int, { description: 'sharesReceived - sharesGiven when positive, else 0' }) owed: number;
  @Field(() => Date, { nullable: true }) lastGivenAt: Date | null;
  @Field(() => Date, { nullable: true }) lastReceivedAt: Date | null;
  @Field(() => Date, { nullable: true }) firstReceivedAt: Date | null;
}

@ObjectType('RelationshipMonth', { description: 'POSTED shares between the viewer and a peer in one calendar month (UTC).' })
export class RelationshipMonthModel implements MonthlyExchange {
  @Field() monthStart: Date;
  @Field(() => Int, { description: "by the viewer of the peer's posts" }) given: number;
  @Field(() => Int, { description: "by the peer of the viewer's posts" }) received: number;
}

export const RelationshipConnection = Connection(RelationshipModel, 'Relationship');

@InputType()
export class SetTrustLevelInput {
  @Field(() => ID) memberId: string;
  @Field(() => TrustLevelEnum) level: TrustLevel;
  @Field() reason: string;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'true (default): the level stays until an admin changes it; false: back to automatic',
  })
  lock?: boolean | null;
}
