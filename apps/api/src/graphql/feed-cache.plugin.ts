import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { type DatabaseChanges, StampedCache } from '@sharepool/database';
import type { Metrics } from '@sharepool/observability';
import type { GraphqlContext } from './request-context.js';

/** Answers kept at most, oldest dropped first. */
const MAX_ENTRIES = 2_000;

/**
 * Serves a member's share feed again from memory for `seconds`, the same
 * query with the same variables. The feed is the page members reload most,
 * and most of its cost is building the answer, not reading it.
 *
 * An answer is dropped as soon as anything that takes a post out of that
 * member's feed changes, wherever it changed (DatabaseChanges): their own
 * shares or niches, moderation, pauses, suspensions; within this process, at
 * once after a mutation (ownChangesPlugin). Budgets, share counts and the
 * reciprocity order may lag by `seconds`; sharePost checks them again.
 *
 * Only operations made of `shareFeed` (and `__typename`) are kept, per member
 * and per API key (a key's scopes can differ from its member's session), and
 * only answers without errors.
 */
export function feedCachePlugin(changes: DatabaseChanges, seconds: number, metrics: Metrics): ApolloServerPlugin<GraphqlContext> {
  const answers = new StampedCache<Record<string, unknown>>({ maxEntries: MAX_ENTRIES, ttlMs: seconds * 1000 });
  const outcomes = metrics.counter('sharepool_feed_cache_total', 'Share feed answers served from memory (hit) or built (miss)', [
    'outcome',
  ]);
  return {
    async requestDidStart() {
      let pending: { key: string; stamp: string } | undefined;
      return {
        async responseForOperation({ operation, contextValue, queryHash, operationName, request }) {
          const actor = contextValue.actor;
          if (seconds === 0 || actor.kind !== 'member' || !isFeedOnly(operation)) return null;
          const stamp = changes.stamp('feed', actor.memberId);
          if (stamp === null) return null;
          const key = `${actor.memberId} ${actor.apiKeyId ?? '-'} ${queryHash} ${operationName ?? ''} ${JSON.stringify(request.variables ?? {})}`;
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

/** A query whose every root field is shareFeed or __typename (no fragments at the root). */
function isFeedOnly(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation?.operation === 'query' &&
    operation.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && (s.name.value === 'shareFeed' || s.name.value === '__typename'),
    ) &&
    operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'shareFeed')
  );
}
