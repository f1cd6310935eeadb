import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AuditEntry } from '@sharepool/audit';
import type { ModerationAction, PauseScope, SharingPause } from '@sharepool/moderation';
import { Connection } from '../graphql/connection.js';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const ModerationActionEnum = { APPROVE: 'APPROVE', REJECT: 'REJECT' } as const satisfies Record<ModerationAction, ModerationAction>;
registerEnumType(ModerationActionEnum, { name: 'ModerationAction' });
export const PauseScopeEnum = { POST: 'POST', NICHE: 'NICHE', EVERYTHING: 'EVERYTHING' } as const satisfies Record<PauseScope, PauseScope>;
registerEnumType(PauseScopeEnum, { name: 'PauseScope' });

@InputType()
export class ModeratePostInput {
  @Field(() => ID) postId: string;
  @Field(() => ModerationActionEnum) action: ModerationAction;
  @Field(() => String, { nullable: true, description: 'required to REJECT; shown to the author' }) reason?: string | null;
}

@ObjectType('SharingPause', {
  implements: () => [Node],
  description: 'A disaster-switch pause: while it stands, nothing in its scope is delivered and new shares are refused.',
})
export class SharingPauseModel implements Pick<SharingPause, 'id' | 'scope' | 'reason' | 'createdAt'> {
  @NodeIdField('SharingPause') id: string;
  @Field(() => PauseScopeEnum) scope: PauseScope;
  @Field() reason: string;
  @Field() createdAt: Date;
  // post, niche, pausedBy: SharingPauseResolver.
}

@InputType()
export class PauseSharingInput {
  @Field(() => PauseScopeEnum) scope: PauseScope;
  @Field(() => ID, { nullable: true, description: 'POST scope only' }) postId?: string | null;
  @Field(() => ID, { nullable: true, description: 'NICHE scope only' }) nicheId?: string | null;
  @Field() reason: string;
}

@InputType()
export class ResumeSharingInput {
  @Field(() => PauseScopeEnum) scope: PauseScope;
  @Field(() => ID, { nullable: true }) postId?: string | null;
  @Field(() => ID, { nullable: true }) nicheId?: string | null;
  @Field() reason: string;
}

@ObjectType('AuditEntry', { implements: () => [Node], description: 'One moderation or admin action.' })
export class AuditEntryModel implements Pick<AuditEntry, 'id' | 'action' | 'targetType' | 'reason' | 'createdAt'> {
  @NodeIdField('AuditEntry') id: string;
  @Field({
    description:
      'MEMBER_SUSPENDED, POST_APPROVED, POST_APPROVED_ON_SUBMISSION, POST_REJECTED, CREDITS_ADJUSTED, ROLE_CHANGED, TRUST_LEVEL_CHANGED, SHARING_PAUSED, SHARING_RESUMED, NICHE_CREATED…',
  })
  action: string;
  @Field() targetType: string;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field() createdAt: Date;
  // actor, targetId: AuditEntryResolver.
}

export const AuditEntryConnection = Connection(AuditEntryModel, 'AuditEntry');
