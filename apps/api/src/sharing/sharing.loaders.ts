import type { ChannelRecord, ChannelsService } from '@sharepool/channels';
import type { ShareRecord, SharesService } from '@sharepool/sharing';
import type { GraphqlContext } from '../graphql/request-context.js';

export function shareLoader(ctx: GraphqlContext, shares: SharesService) {
  return ctx.loaders.byId<ShareRecord>(
    'share',
    (ids) => shares.findByIds(ids),
    (s) => s.id,
  );
}

export function channelLoader(ctx: GraphqlContext, channels: ChannelsService) {
  return ctx.loaders.byId<ChannelRecord>(
    'channel',
    (ids) => channels.findByIds(ids),
    (c) => c.id,
  );
}
