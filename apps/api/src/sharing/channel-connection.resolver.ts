import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type ConnectionStart, type Network, OAuthConnectionsService } from '@sharepool/channels';
import { AppConfig } from '@sharepool/config';
import type { Actor } from '@sharepool/kernel';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { browserKeyFor, keepBrowserKey } from './oauth-browser-key.js';
import { ChannelConnectionStartModel, NetworkEnum, StartChannelConnectionInput } from './sharing.model.js';

/** Connecting channels through the networks' consent pages (the callback is OAuthCallbackController). */
@Resolver()
export class ChannelConnectionResolver {
  constructor(
    private readonly connections: OAuthConnectionsService,
    private readonly config: AppConfig,
  ) {}

  @Query(() => [NetworkEnum], {
    description: 'the networks startChannelConnection can connect on this server (MASTODON always; X and LINKEDIN once set up)',
  })
  oauthNetworks(): Network[] {
    return this.connections.availableNetworks();
  }

  @Mutation(() => ChannelConnectionStartModel, {
    description:
      "starts connecting a channel through the network's consent page; call it from the browser that will open authorizeUrl (it keeps a cookie for the callback)",
  })
  async startChannelConnection(
    @CurrentActor() actor: Actor,
    @Args('input') input: StartChannelConnectionInput,
    @Context() ctx: GraphqlContext,
  ): Promise<ConnectionStart> {
    const key = browserKeyFor(ctx.req);
    const started = await this.connections.start(actor, input, key);
    keepBrowserKey(this.config, ctx.req, ctx.res, key);
    return started;
  }
}
