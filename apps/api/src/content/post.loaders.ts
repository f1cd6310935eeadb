import type { Post, PostsService } from '@sharepool/content';
import type { SharingPausesService } from '@sharepool/moderation';
import type { SharesService } from '@sharepool/sharing';
import type { GraphqlContext } from '../graphql/request-context.js';

export const POST_LOADER = 'post';
export const VIEWER_HAS_SHARED_LOADER = 'viewer-has-shared';

export function postLoader(ctx: GraphqlContext, posts: PostsService) {
  return ctx.loaders.byId<Post>(
    POST_LOADER,
    (ids) => posts.findByIds(ids),
    (p) => p.id,
  );
}

/** Whether the viewer shared (or is sharing) each post; false for anyone not signed in. */
export function viewerHasSharedLoader(ctx: GraphqlContext, shares: SharesService) {
  return ctx.loaders.get<string, boolean>(VIEWER_HAS_SHARED_LOADER, async (postIds) => {
    if (ctx.actor.kind !== 'member') return postIds.map(() => false);
    const shared = await shares.sharedPosts(ctx.actor.memberId, postIds);
    return postIds.map((id) => shared.has(id));
  });
}

/** Whether an admin pause covers each post; keyed by "postId|nicheId" so no lookup is needed. */
export function sharingPausedLoader(ctx: GraphqlContext, pauses: SharingPausesService) {
  return ctx.loaders.get<string, boolean>('post-paused', async (keys) => {
    const scopes = keys.map((key) => {
      const [postId, nicheId] = key.split('|') as [string, string];
      return { postId, nicheId };
    });
    const paused = await pauses.pausedPosts(scopes);
    return scopes.map((s) => paused.has(s.postId));
  });
}
