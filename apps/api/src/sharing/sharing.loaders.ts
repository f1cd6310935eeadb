import type { Channel, ChannelsService } from '@sharepool/channels';
import type { Share, SharesService } from '@sharepool/sharing';
import type { GraphqlContext } from '../graphql/request-context.js';

export function shareLoader(ctx: GraphqlContext, shares: SharesService) {
  return ctx.loaders.byId<Share>(
    'share',
    (ids) => shares.findByIds(ids),
    (s) => s.id,
  );
}

export function channelLoader(ctx: GraphqlContext, channels: ChannelsService) {
  return ctx.loaders.byId<Channel>(
    'channel',
    (ids) => channels.findByIds(ids),
    (c) => c.id,
  );
}
