import type { ApolloServerPlugin } from '@apollo/server';
import type { DatabaseChanges } from '@sharepool/database';
import type { GraphqlContext } from './request-context.js';

/**
 * What this process keeps in memory (remembered members, feed answers) is
 * dropped by the database's notification of a change, a moment after it
 * commits. A mutation answers only once this process has heard every change
 * committed before its answer (its own included), so the next request here
 * sees them for sure: a suspension stops the member's next request, a
 * withdrawn post is gone from the next feed, whoever asks.
 */
export function ownChangesPlugin(changes: DatabaseChanges): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === 'mutation') await changes.caughtUp();
        },
      };
    },
  };
}
