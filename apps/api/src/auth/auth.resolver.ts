import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import { type ApiKey, ApiKeysService, AuthService, BoardTickets, type Session } from '@sharepool/auth';
import { AppConfig } from '@sharepool/config';
import { QUEUE_BOARD_PATH } from '../admin/queue-board.js';
import type { Actor } from '@sharepool/kernel';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import { type GraphqlContext, MEMBER_LOADER } from '../graphql/request-context.js';
import { viewerOf } from '../viewer/viewer.resolver.js';
import {
  ApiKeyModel,
  AuthPayload,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  LoginInput,
  QueueBoardTicket,
  RegisterInput,
  SignUpPayload,
} from './auth.model.js';
import { setSessionCookies } from './session-cookies.js';

@Resolver()
export class AuthResolver implements OnModuleInit {
  constructor(
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    private readonly nodes: NodeRegistry,
    private readonly config: AppConfig,
    private readonly boardTickets: BoardTickets,
  ) {}

  onModuleInit(): void {
    this.nodes.register('ApiKey', (ctx, id) => this.apiKeys.findOwn(ctx.actor, id));
  }

  @Mutation(() => AuthPayload, {
    description: 'a new account, signed in; where addresses are verified it answers FORBIDDEN (verificationRequired) as signUp explains',
  })
  async register(@Context() ctx: GraphqlContext, @Args('input') input: RegisterInput): Promise<AuthPayload> {
    const { sessionCookie, ...fields } = input;
    return this.payload(ctx, await this.auth.register(ctx.actor, fields, ctx.req.ip ?? 'unknown'), sessionCookie);
  }

  @Mutation(() => SignUpPayload, {
    description:
      'a new account; where addresses are verified it answers verificationRequired and mails a link (an address that has an account answers the same and its owner is told), else it signs in',
  })
  async signUp(@Context() ctx: GraphqlContext, @Args('input') input: RegisterInput): Promise<SignUpPayload> {
    const { sessionCookie, ...fields } = input;
    const outcome = await this.auth.signUp(ctx.actor, fields, ctx.req.ip ?? 'unknown');
    if (outcome.kind === 'verification-sent') return { verificationRequired: true, auth: null };
    return { verificationRequired: false, auth: this.payload(ctx, outcome.session, sessionCookie) };
  }

  @Mutation(() => Boolean, { description: "confirms the viewer's email address with the token of the link it was sent" })
  async verifyEmail(@CurrentActor() actor: Actor, @Args('token') token: string): Promise<boolean> {
    await this.auth.verifyEmail(actor, token);
    return true;
  }

  @Mutation(() => Boolean, { description: 'sends the signed-in member a new link to confirm their address (one every 10 minutes)' })
  resendVerificationEmail(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.auth.resendVerificationEmail(actor);
  }

  @Mutation(() => AuthPayload)
  async login(@Context() ctx: GraphqlContext, @Args('input') input: LoginInput): Promise<AuthPayload> {
    return this.payload(ctx, await this.auth.login(ctx.actor, input, ctx.req.ip ?? 'unknown'), input.sessionCookie);
  }

  @Mutation(() => AuthPayload)
  async refreshToken(@Context() ctx: GraphqlContext, @Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return this.payload(ctx, await this.auth.refresh(ctx.actor, refreshToken), false);
  }

  @Mutation(() => Boolean)
  logout(@CurrentActor() actor: Actor, @Args('refreshToken') refreshToken: string): Promise<boolean> {
    return this.auth.logout(actor, refreshToken);
  }

  @Mutation(() => QueueBoardTicket, {
    description: 'Admins: a single-use ticket that opens the queue board (GET its url within a minute)',
  })
  async createQueueBoardTicket(@CurrentActor() actor: Actor): Promise<QueueBoardTicket> {
    const { ticket, expiresIn } = await this.boardTickets.issue(actor);
    return { url: `${QUEUE_BOARD_PATH}?ticket=${ticket}`, expiresIn };
  }

  @Mutation(() => CreateApiKeyPayload)
  createApiKey(@CurrentActor() actor: Actor, @Args('input') input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
    return this.apiKeys.create(actor, input);
  }

  @Mutation(() => ApiKeyModel)
  revokeApiKey(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<ApiKey> {
    return this.apiKeys.revoke(actor, parseGlobalId(id, 'ApiKey', 'id'));
  }

  /**
   * The new session's tokens and its viewer (the member is primed: resolving it
   * costs no query). For the web client the refresh token goes into cookies.
   */
  private payload(ctx: GraphqlContext, session: Session, sessionCookie: boolean | undefined): AuthPayload {
    ctx.loaders.prime(MEMBER_LOADER, session.member.id, session.member);
    if (sessionCookie) setSessionCookies(this.config, ctx.req, ctx.res, session);
    return {
      accessToken: session.accessToken,
      refreshToken: sessionCookie ? '' : session.refreshToken,
      expiresIn: session.expiresIn,
      viewer: viewerOf(session.actor),
    };
  }
}
