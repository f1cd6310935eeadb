import { ObjectType } from '@nestjs/graphql';
import type { MemberActor } from '@sharepool/kernel';

/**
 * The authenticated member's own view. Each feature adds its fields with a
 * `@Resolver(() => Viewer)` of its own (members: member, email, apiKeys; ledger:
 * creditBalance, ledger; channels; content: posts; sharing: shares, reciprocity).
 */
@ObjectType({ description: 'The authenticated member and what belongs to them' })
export class Viewer {
  /** The acting member (with an API key's scopes), for the field resolvers. */
  actor: MemberActor;

  get memberId(): string {
    return this.actor.memberId;
  }
}
