import { Context, Resolver, Subscription } from '@nestjs/graphql';
import { PostModel } from '../content/post.model.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { NotificationModel } from '../notifications/notification.model.js';
import { ShareModel } from '../sharing/sharing.model.js';
import { LiveHub } from './live-hub.js';

const asIs = (value: unknown) => value;

/** The subscriptions (graphql-ws over WebSocket on /graphql; see LiveServer). */
@Resolver()
export class LiveResolver {
  constructor(private readonly hub: LiveHub) {}

  @Subscription(() => ShareModel, {
    description: "the viewer's own shares, and shares of the viewer's posts, each time their status changes",
    resolve: asIs,
  })
  shareUpdated(@Context() ctx: GraphqlContext) {
    return this.hub.subscribe(ctx, 'shareUpdated');
  }

  @Subscription(() => NotificationModel, { description: 'each new notification of the viewer', resolve: asIs })
  notificationAdded(@Context() ctx: GraphqlContext) {
    return this.hub.subscribe(ctx, 'notificationAdded');
  }

  @Subscription(() => PostModel, {
    description: 'MODERATOR or ADMIN: a post that entered the review queue (PENDING_REVIEW) or left it (its new status)',
    resolve: asIs,
  })
  moderationQueueChanged(@Context() ctx: GraphqlContext) {
    return this.hub.subscribe(ctx, 'moderationQueueChanged');
  }
}
