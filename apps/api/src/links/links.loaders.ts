import type { ClickCountsService, ShareLinksService } from '@sharepool/links';
import type { ShareActivityService } from '@sharepool/sharing';
import type { GraphqlContext } from '../graphql/request-context.js';

const fromMap =
  <V>(fetch: (ids: readonly string[]) => Promise<Map<string, V>>, missing: V) =>
  async (ids: readonly string[]) => {
    const found = await fetch(ids);
    return ids.map((id) => found.get(id) ?? missing);
  };

export function shortUrlLoader(ctx: GraphqlContext, links: ShareLinksService) {
  return ctx.loaders.get<string, string>(
    'share-short-url',
    fromMap((ids) => links.shortUrls(ids), ''),
  );
}

export function shareClicksLoader(ctx: GraphqlContext, clicks: ClickCountsService) {
  return ctx.loaders.get<string, number>(
    'share-clicks',
    fromMap((ids) => clicks.ofShares(ids), 0),
  );
}

export function postClicksLoader(ctx: GraphqlContext, clicks: ClickCountsService) {
  return ctx.loaders.get<string, number>(
    'post-clicks',
    fromMap((ids) => clicks.ofPosts(ids), 0),
  );
}

export function postReachLoader(ctx: GraphqlContext, activity: ShareActivityService) {
  return ctx.loaders.get<string, number>(
    'post-reach',
    fromMap((ids) => activity.reachOfPosts(ids), 0),
  );
}
