import { type OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Post, PostsService } from '@sharepool/content';
import { type Actor, pageRequest } from '@sharepool/kernel';
import { type Member, MembersService } from '@sharepool/members';
import {
  type EmailChoice,
  type NotificationKind,
  type NotificationPreference,
  type NotificationRecord,
  NotificationsService,
} from '@sharepool/notifications';
import { type Share, SharesService } from '@sharepool/sharing';
import { postLoader } from '../content/post.loaders.js';
import { PostModel } from '../content/post.model.js';
import { type ConnectionSource, toConnection } from '../graphql/connection.js';
import { CurrentActor } from '../graphql/current-actor.decorator.js';
import { parseGlobalId } from '../graphql/global-id.js';
import { NodeRegistry } from '../graphql/node.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { memberLoader } from '../members/member.loaders.js';
import { MemberModel } from '../members/member.model.js';
import { shareLoader } from '../sharing/sharing.loaders.js';
import { ShareModel } from '../sharing/sharing.model.js';
import { Viewer } from '../viewer/viewer.model.js';
import {
  EmailChoiceEnum,
  NotificationConnection,
  NotificationKindEnum,
  NotificationModel,
  NotificationPreferenceModel,
} from './notification.model.js';

export function notificationLoader(ctx: GraphqlContext, notifications: NotificationsService) {
  return ctx.loaders.byId<NotificationRecord>(
    'notification',
    (ids) => notifications.findByIds(ids),
    (n) => n.id,
  );
}

/** The viewer's notifications, unread count and email preferences. */
@Resolver(() => Viewer)
export class ViewerNotificationsResolver {
  constructor(private readonly notificationService: NotificationsService) {}

  @ResolveField(() => NotificationConnection, { description: 'newest first' })
  async notifications(
    @Parent() viewer: Viewer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('unreadOnly', { type: () => Boolean, nullable: true, defaultValue: false }) unreadOnly: boolean,
  ): Promise<ConnectionSource<NotificationRecord>> {
    return toConnection(await this.notificationService.list(viewer.actor, pageRequest(first, after), unreadOnly ?? false));
  }

  @ResolveField(() => Int)
  unreadNotifications(@Parent() viewer: Viewer): Promise<number> {
    return this.notificationService.unreadCount(viewer.actor);
  }

  @ResolveField(() => [NotificationPreferenceModel], {
    description: 'how the viewer wants each kind by email (defaults: failures and reconnects at once, the rest in the daily digest)',
  })
  async notificationPreferences(@Parent() viewer: Viewer): Promise<NotificationPreference[]> {
    return (await this.notificationService.preferences(viewer.actor)).filter((p) => p.kind !== 'ACCOUNT');
  }

  @ResolveField(() => Boolean, {
    description: "whether the viewer gets emails about their account's security (failed sign-ins slowing it, a sign-up with their address)",
  })
  async accountEmails(@Parent() viewer: Viewer): Promise<boolean> {
    const preference = (await this.notificationService.preferences(viewer.actor)).find((p) => p.kind === 'ACCOUNT');
    return preference?.email !== 'NEVER';
  }
}

@Resolver(() => NotificationModel)
export class NotificationResolver implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly posts: PostsService,
    private readonly shares: SharesService,
    private readonly members: MembersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Notification', async (ctx, id) => {
      const notification = await notificationLoader(ctx, this.notifications).load(id);
      return notification && this.notifications.isVisible(ctx.actor, notification) ? notification : null;
    });
  }

  @Mutation(() => Int, {
    description: "marks the given notifications, or all of the viewer's with all: true, as read; returns how many changed",
  })
  markNotificationsRead(
    @CurrentActor() actor: Actor,
    @Args('ids', { type: () => [ID], nullable: true }) ids: string[] | null,
    @Args('all', { type: () => Boolean, nullable: true, defaultValue: false }) all: boolean,
  ): Promise<number> {
    return this.notifications.markRead(actor, { ids: ids?.map((id) => parseGlobalId(id, 'Notification', 'ids')), all });
  }

  @Mutation(() => NotificationPreferenceModel, { description: 'how the viewer wants one kind of notification by email' })
  setNotificationPreference(
    @CurrentActor() actor: Actor,
    @Args('kind', { type: () => NotificationKindEnum }) kind: NotificationKind,
    @Args('email', { type: () => EmailChoiceEnum }) email: EmailChoice,
  ): Promise<NotificationPreference> {
    return this.notifications.setPreference(actor, kind, email);
  }

  @Mutation(() => Boolean, {
    description: "turns the emails about the viewer's account's security on or off; answers the new setting",
  })
  async setAccountEmails(@CurrentActor() actor: Actor, @Args('enabled') enabled: boolean): Promise<boolean> {
    await this.notifications.setPreference(actor, 'ACCOUNT', enabled ? 'INSTANT' : 'NEVER');
    return enabled;
  }

  @ResolveField(() => PostModel, { nullable: true })
  async post(@Parent() notification: NotificationRecord, @Context() ctx: GraphqlContext): Promise<Post | null> {
    if (!notification.postId) return null;
    const post = await postLoader(ctx, this.posts).load(notification.postId);
    return post && this.posts.isVisible(ctx.actor, post) ? post : null;
  }

  @ResolveField(() => ShareModel, { nullable: true })
  async share(@Parent() notification: NotificationRecord, @Context() ctx: GraphqlContext): Promise<Share | null> {
    if (!notification.shareId) return null;
    const share = await shareLoader(ctx, this.shares).load(notification.shareId);
    return share && this.shares.isVisible(ctx.actor, share) ? share : null;
  }

  @ResolveField(() => MemberModel, { nullable: true })
  async peer(@Parent() notification: NotificationRecord, @Context() ctx: GraphqlContext): Promise<Member | null> {
    if (!notification.peerId) return null;
    const member = await memberLoader(ctx, this.members).load(notification.peerId);
    return member && this.members.isVisible(ctx.actor, member) ? member : null;
  }
}
