import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import DataLoader from 'dataloader';
import { type Post, PostsService } from '@sharepool/content';
import { type LiveEvent, LiveEvents } from '@sharepool/database';
import { type Actor, AuthenticationError, requireMember, requireRole } from '@sharepool/kernel';
import { type NotificationRecord, NotificationsService } from '@sharepool/notifications';
import { Metrics } from '@sharepool/observability';
import { type Share, SharesService } from '@sharepool/sharing';
import { LoaderRegistry } from '../graphql/loader-registry.js';
import type { GraphqlContext } from '../graphql/request-context.js';
import { LiveQueue } from './live-queue.js';

export type LiveTopic = 'shareUpdated' | 'notificationAdded' | 'moderationQueueChanged';

/** What a WebSocket connection keeps about itself (see LiveServer). */
export interface LiveConnection {
  readonly id: number;
  actor: Actor;
  /** Ends the connection, telling the client why (a close code of the graphql-ws protocol or WebSocket). */
  close(code: number, reason: string): void;
}

/** The context of an operation over WebSocket: the request's, with fresh loaders for every event (see LiveQueue consumers). */
export interface LiveContext extends GraphqlContext {
  readonly live: LiveConnection;
  loaders: LoaderRegistry;
}

/** Updates one subscription may have waiting for its client before the client is dropped as too slow. */
export const MAX_WAITING_UPDATES = 100;
/** Statuses remembered per subscription, to send a share only when its status changed. */
const REMEMBERED_STATUSES = 256;

interface Subscriber {
  readonly topic: LiveTopic;
  readonly context: LiveContext;
  readonly queue: LiveQueue<object>;
  readonly memberId: string;
  /** Share id → the last status sent. */
  readonly sent: Map<string, string>;
}

/**
 * The live updates of this API process. Every process hears every event
 * (LiveEvents: the database's notifications, ids only) and sends each on to
 * its own subscribers it concerns: a share to its sharer and its post's
 * author, a notification to its member, the review queue to moderators. What
 * it sends it loads once per event, and each subscriber gets it only if their
 * own actor may see it (the lib's visibility rule), so no event carries one
 * member's data to another.
 */
@Injectable()
export class LiveHub implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveHub');
  private readonly byMember = new Map<string, Set<Subscriber>>();
  private readonly moderators = new Set<Subscriber>();
  private stopListening: (() => void) | undefined;
  private readonly shareLoader: DataLoader<string, Share | null>;
  private readonly notificationLoader: DataLoader<string, NotificationRecord | null>;
  private readonly postLoader: DataLoader<string, Post | null>;
  private readonly sentCounter;

  constructor(
    private readonly events: LiveEvents,
    private readonly shares: SharesService,
    private readonly notifications: NotificationsService,
    private readonly posts: PostsService,
    metrics: Metrics,
  ) {
    // Events that arrive together are loaded together; never cached: each event reads the row as it is now.
    const byId = <T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) =>
      new DataLoader<string, T | null>(
        async (ids) => {
          const rows = new Map((await fetch(ids)).map((row) => [row.id, row]));
          return ids.map((id) => rows.get(id) ?? null);
        },
        { cache: false, maxBatchSize: 500 },
      );
    this.shareLoader = byId((ids) => this.shares.findByIds(ids));
    this.notificationLoader = byId((ids) => this.notifications.findByIds(ids));
    this.postLoader = byId((ids) => this.posts.findByIds(ids));
    this.sentCounter = metrics.counter('sharepool_live_updates_total', 'Live updates sent to subscribers, by subscription', ['topic']);
    metrics.gauge('sharepool_live_subscriptions', 'Live subscriptions open in this process', [], async (gauge) => {
      gauge.set(this.subscriptionCount());
    });
  }

  /** Subscriptions open in this process. */
  subscriptionCount(): number {
    let count = this.moderators.size;
    for (const set of this.byMember.values()) count += set.size;
    return count;
  }

  /** Resolves once this process hears live events (a subscription made after it sees every later change). */
  async ready(): Promise<void> {
    this.start();
    await this.events.ready();
  }

  /**
   * A subscription of the context's connection to `topic`: an async iterator
   * of what to send. UNAUTHENTICATED or FORBIDDEN as the topic needs.
   */
  subscribe(context: GraphqlContext, topic: LiveTopic): AsyncIterableIterator<object> {
    const live = (context as Partial<LiveContext>).live;
    if (!live) throw new AuthenticationError('Subscriptions are served over WebSocket (graphql-ws) on /graphql');
    const member =
      topic === 'moderationQueueChanged' ? requireRole(context.actor, 'MODERATOR', 'READ') : requireMember(context.actor, 'READ');
    this.start();
    const subscriber: Subscriber = {
      topic,
      context: context as LiveContext,
      memberId: member.memberId,
      sent: new Map(),
      queue: new LiveQueue<object>(
        MAX_WAITING_UPDATES,
        () => this.remove(subscriber),
        () => live.close(1013, 'Too many updates waited for this client: reconnect'),
        // Each update is executed with loaders of its own: what one update read is not served to the next.
        () => ((context as LiveContext).loaders = new LoaderRegistry()),
      ),
    };
    if (topic === 'moderationQueueChanged') this.moderators.add(subscriber);
    else {
      let set = this.byMember.get(member.memberId);
      if (!set) this.byMember.set(member.memberId, (set = new Set()));
      set.add(subscriber);
    }
    return subscriber.queue;
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
  }

  private start(): void {
    this.stopListening ??= this.events.listen((event) => void this.dispatch(event));
  }

  private remove(subscriber: Subscriber): void {
    this.moderators.delete(subscriber);
    const set = this.byMember.get(subscriber.memberId);
    if (set?.delete(subscriber) && set.size === 0) this.byMember.delete(subscriber.memberId);
  }

  private of(memberIds: readonly string[], topic: LiveTopic): Subscriber[] {
    const found: Subscriber[] = [];
    for (const id of new Set(memberIds)) for (const s of this.byMember.get(id) ?? []) if (s.topic === topic) found.push(s);
    return found;
  }

  private async dispatch(event: LiveEvent): Promise<void> {
    try {
      if (event.type === 'share') {
        const subscribers = this.of([event.sharerId, event.authorId], 'shareUpdated');
        if (!subscribers.length) return;
        const share = await this.shareLoader.load(event.shareId);
        if (!share) return;
        for (const s of subscribers) {
          // Each status once: events that arrive after a later status was read add nothing.
          if (!this.shares.isVisible(s.context.actor, share) || s.sent.get(share.id) === share.status) continue;
          if (s.sent.size >= REMEMBERED_STATUSES) s.sent.delete(s.sent.keys().next().value!);
          s.sent.set(share.id, share.status);
          this.send(s, share);
        }
      } else if (event.type === 'notification') {
        const subscribers = this.of([event.memberId], 'notificationAdded');
        if (!subscribers.length) return;
        const notification = await this.notificationLoader.load(event.notificationId);
        if (!notification) return;
        for (const s of subscribers) if (this.notifications.isVisible(s.context.actor, notification)) this.send(s, notification);
      } else {
        if (!this.moderators.size) return;
        const post = await this.postLoader.load(event.postId);
        if (!post) return;
        for (const s of this.moderators) if (this.posts.isVisible(s.context.actor, post)) this.send(s, post);
      }
    } catch (error) {
      this.logger.warn(`a live ${event.type} event was not sent on: ${(error as Error).message}`);
    }
  }

  private send(subscriber: Subscriber, value: object): void {
    this.sentCounter.inc({ topic: subscriber.topic });
    subscriber.queue.push(value);
  }
}
