import { type OnModuleInit } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { type Channel, ChannelsService } from '@sharepool/channels';
import type { Actor } from '@sharepool/kernel';
import { SharesService } from '@sharepool/sharing';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import { channelLoader } from './sharing.loaders.js';
import { ChannelModel, ConnectChannelInput, ConnectChannelPayload } from './sharing.model.js';

@Resolver(() => ChannelModel)
export class ChannelResolver implements OnModuleInit {
  constructor(
    private readonly channelService: ChannelsService,
    private readonly shareService: SharesService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Channel', async (ctx, id) => {
      const channel = await channelLoader(ctx, this.channelService).load(id);
      return channel && ctx.actor.kind === 'member' && channel.memberId === ctx.actor.memberId ? channel : null;
    });
  }

  @Mutation(() => ConnectChannelPayload, {
    description: 'an account whose channel needs reconnecting gets that channel back, active, with the new credentials',
  })
  connectChannel(@CurrentActor() actor: Actor, @Args('input') input: ConnectChannelInput): Promise<ConnectChannelPayload> {
    return this.channelService.connect(actor, input);
  }

  @Mutation(() => ChannelModel)
  disconnectChannel(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Channel> {
    return this.shareService.disconnectChannel(actor, parseGlobalId(id, 'Channel', 'id'));
  }
}
