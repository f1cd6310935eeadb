import { Field, ID, InputType } from '@nestjs/graphql';
import type { Role } from '@sharepool/kernel';
import { RoleEnum } from './member.model.js';

@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true }) bio?: string | null;
}

@InputType()
export class SuspendMemberInput {
  @Field(() => ID) memberId: string;
  @Field() reason: string;
}

@InputType()
export class ReinstateMemberInput {
  @Field(() => ID) memberId: string;
  @Field() reason: string;
}

@InputType()
export class SetRoleInput {
  @Field(() => ID) memberId: string;
  @Field(() => RoleEnum) role: Role;
}

@InputType()
export class CreateNicheInput {
  @Field() slug: string;
  @Field() name: string;
}
