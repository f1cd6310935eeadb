import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type ApiKey, ApiKeysService } from '@sharepool/auth';
import { type Member, MembersService } from '@sharepool/members';
import { ApiKeyModel } from '../auth/auth.model.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { Viewer } from '../viewer/viewer.model.js';
import { memberLoader } from './member.loaders.js';
import { MemberModel } from './member.model.js';

/** The viewer's own member, email and API keys. */
@Resolver(() => Viewer)
export class ViewerMemberResolver {
  constructor(
    private readonly memberService: MembersService,
    private readonly apiKeyService: ApiKeysService,
  ) {}

  @ResolveField(() => MemberModel)
  async member(@Parent() viewer: Viewer, @Context() ctx: GraphqlContext): Promise<Member> {
    return (await memberLoader(ctx, this.memberService).load(viewer.memberId))!;
  }

  @ResolveField(() => String)
  async email(@Parent() viewer: Viewer, @Context() ctx: GraphqlContext): Promise<string> {
    return (await this.member(viewer, ctx)).email;
  }

  @ResolveField(() => Boolean, {
    description: 'whether the viewer confirmed their email address (where addresses are verified, the signup grant waits for it)',
  })
  async emailVerified(@Parent() viewer: Viewer, @Context() ctx: GraphqlContext): Promise<boolean> {
    return (await this.member(viewer, ctx)).emailVerifiedAt !== null;
  }

  @ResolveField(() => [ApiKeyModel])
  apiKeys(@Parent() viewer: Viewer): Promise<ApiKey[]> {
    return this.apiKeyService.list(viewer.actor);
  }
}
