import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import { type ApiKeyRecord, ApiKeysService, AuthService, type Session } from '@sharepool/auth';
import type { Actor } from '@sharepool/kernel';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import { type GraphqlContext, MEMBER_LOADER } from '../graphql/request-context.js';
import { viewerOf } from '../viewer/viewer.resolver.js';
import { ApiKeyModel, AuthPayload, CreateApiKeyInput, CreateApiKeyPayload, LoginInput, RegisterInput } from './auth.model.js';

@Resolver()
export class AuthResolver implements OnModuleInit {
  constructor(
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('ApiKey', (ctx, id) => this.apiKeys.findOwn(ctx.actor, id));
  }

  @Mutation(() => AuthPayload)
  async register(@Context() ctx: GraphqlContext, @Args('input') input: RegisterInput): Promise<AuthPayload> {
    return payload(ctx, await this.auth.register(ctx.actor, input));
  }

  @Mutation(() => AuthPayload)
  async login(@Context() ctx: GraphqlContext, @Args('input') input: LoginInput): Promise<AuthPayload> {
    return payload(ctx, await this.auth.login(ctx.actor, input, ctx.req.ip ?? 'unknown'));
  }

  @Mutation(() => AuthPayload)
  async refreshToken(@Context() ctx: GraphqlContext, @Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return payload(ctx, await this.auth.refresh(ctx.actor, refreshToken));
  }

  @Mutation(() => Boolean)
  logout(@CurrentActor() actor: Actor, @Args('refreshToken') refreshToken: string): Promise<boolean> {
    return this.auth.logout(actor, refreshToken);
  }

  @Mutation(() => CreateApiKeyPayload)
  createApiKey(@CurrentActor() actor: Actor, @Args('input') input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
    return this.apiKeys.create(actor, input);
  }

  @Mutation(() => ApiKeyModel)
  revokeApiKey(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<ApiKeyRecord> {
    return this.apiKeys.revoke(actor, parseGlobalId(id, 'ApiKey', 'id'));
  }
}

/** The new session's tokens and its viewer (the member is primed: resolving it costs no query). */
function payload(ctx: GraphqlContext, session: Session): AuthPayload {
  ctx.loaders.prime(MEMBER_LOADER, session.member.id, session.member);
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresIn: session.expiresIn,
    viewer: viewerOf(session.actor),
  };
}
