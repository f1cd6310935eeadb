import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { type DatabaseChanges, StampedCache } from '@sharepool/database';
import type { Clock } from '@sharepool/kernel';
import type { Metrics } from '@sharepool/observability';
import type { GraphqlContext } from './request-context.js';

/** Answers kept at most, oldest dropped first. */
const MAX_ENTRIES = 2_000;

/** The viewer's fields kept like the feed: their relationships with peers, read on the same pages. */
const KEPT_VIEWER_FIELDS = new Set(['relationships', 'superFans', 'waitingOnYou', '__typename']);

/**
 * Serves a member's share feed (and their relationships with peers) again from
 * memory for `seconds`, the same query with the same variables. The feed is the
 * page members reload most, and most of its cost is building the answer, not
 * reading it.
 *
 * An answer is dropped as soon as anything that takes a post out of that
 * member's feed changes, wherever it changed (DatabaseChanges): their own
 * shares or niches, moderation, pauses, suspensions; within this process, at
 * once after a mutation (ownChangesPlugin). Budgets, share counts and the
 * reciprocity order may lag by `seconds`; sharePost checks them again.
 *
 * Only operations made of `shareFeed`, `viewer { relationships superFans
 * waitingOnYou }` (and `__typename`) are kept, per member and per API key (a
 * key's scopes can differ from its member's session), and only answers without
 * errors. Relationships change as shares are POSTED, which sends nothing: they
 * lag by `seconds` at most, like budgets. Their scores count days on the
 * clock, so a kept answer is also for the clock's minute (a test that moves
 * the clock never reads an answer from before the move).
 */
export function feedCachePlugin(
  changes: DatabaseChanges,
  seconds: number,
  metrics: Metrics,
  clock: Clock,
): ApolloServerPlugin<GraphqlContext> {
  const answers = new StampedCache<Record<string, unknown>>({ maxEntries: MAX_ENTRIES, ttlMs: seconds * 1000 });
  const outcomes = metrics.counter(
    'sharepool_feed_cache_total',
    'Share feed and relationship answers served from memory (hit) or built (miss)',
    ['outcome'],
  );
  return {
    async requestDidStart() {
      let pending: { key: string; stamp: string } | undefined;
      return {
        async responseForOperation({ operation, contextValue, queryHash, operationName, request }) {
          const actor = contextValue.actor;
          if (seconds === 0 || actor.kind !== 'member' || !isKeptRead(operation)) return null;
          const stamp = changes.stamp('feed', actor.memberId);
          if (stamp === null) return null;
          const minute = Math.floor(clock.now().getTime() / 60_000);
          const key = `${actor.memberId} ${actor.apiKeyId ?? '-'} ${minute} ${queryHash} ${operationName ?? ''} ${JSON.stringify(request.variables ?? {})}`;
          const data = answers.get(key, stamp);
          if (data) {
            outcomes.inc({ outcome: 'hit' });
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
          }
          outcomes.inc({ outcome: 'miss' });
          pending = { key, stamp };
          return null;
        },
        async willSendResponse({ response }) {
          if (!pending || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (errors?.length || !data) return;
          answers.set(pending.key, data, pending.stamp);
        },
      };
    },
  };
}

/**
 * A query whose every root field is shareFeed, __typename, or viewer asking
 * only for relationships (no fragments at those levels).
 */
function isKeptRead(operation: OperationDefinitionNode | undefined): boolean {
  if (operation?.operation !== 'query') return false;
  let kept = false;
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) return false;
    if (s.name.value === 'shareFeed') kept = true;
    else if (s.name.value === 'viewer') {
      const fields = s.selectionSet?.selections ?? [];
      if (!fields.every((f) => f.kind === Kind.FIELD && KEPT_VIEWER_FIELDS.has(f.name.value))) return false;
      kept = true;
    } else if (s.name.value !== '__typename') return false;
  }
  return kept;
}
