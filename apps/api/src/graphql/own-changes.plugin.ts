import type { ApolloServerPlugin } from '@apollo/server';
import type { DatabaseChanges } from '../../../../libs/database/src/index.js';
import type { GraphqlContext } from './request-context.js';

/**
 * What this process keeps in memory (remembered members, feed answers) is
 * dropped by the database's notification of a change, a moment after it
 * commits. A mutation's effects are dropped here before its answer leaves, so
 * the next request through this process sees them for sure: a member's own
 * (their feed, their account), or everyone's after a moderator's or admin's
 * (a suspension, a pause, a moderation stops its targets at once).
 */
export function ownChangesPlugin(changes: DatabaseChanges): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue: { actor } }) {
          if (operation?.operation !== 'mutation' || actor.kind !== 'member') return;
          const key = actor.role === 'MEMBER' ? actor.memberId : '*';
          changes.changed('feed', key);
          changes.changed('member', key);
        },
      };
    },
  };
}
