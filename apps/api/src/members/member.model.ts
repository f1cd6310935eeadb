import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Role } from '@sharepool/kernel';
import type { Member, MemberStatus, Niche } from '@sharepool/members';
import { NodeIdField } from '../graphql/global-id.js';
import { Node } from '../graphql/node.js';

export const RoleEnum = { MEMBER: 'MEMBER', MODERATOR: 'MODERATOR', ADMIN: 'ADMIN' } as const satisfies Record<Role, Role>;
registerEnumType(RoleEnum, { name: 'Role' });
export const MemberStatusEnum = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED' } as const satisfies Record<MemberStatus, MemberStatus>;
registerEnumType(MemberStatusEnum, { name: 'MemberStatus' });

@ObjectType('Niche', { implements: () => [Node] })
export class NicheModel implements Niche {
  @NodeIdField('Niche') id: string;
  @Field() slug: string;
  @Field() name: string;
  createdAt: Date;
}

@ObjectType('Member', { implements: () => [Node] })
export class MemberModel implements Omit<Member, 'email' | 'suspendedReason' | 'emailVerifiedAt'> {
  @NodeIdField('Member') id: string;
  @Field() handle: string;
  @Field() displayName: string;
  @Field(() => String, { nullable: true }) bio: string | null;
  @Field(() => RoleEnum) role: Role;
  @Field(() => MemberStatusEnum) status: MemberStatus;
  @Field() createdAt: Date;
  // niches and suspendedReason are resolved by MemberResolver.
}
