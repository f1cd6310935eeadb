import { graphql } from '../../graphql/graphql';

export const WALLET_SUMMARY = graphql(`
  query WalletSummary {
    viewer {
      creditBalance
      creditHistory(days: 30) {
        day
        balance
      }
      shareActivity(weeks: 12) {
        weekStart
        given
        received
      }
    }
  }
`);

export const LEDGER = graphql(`
  query Ledger($first: Int, $after: String) {
    viewer {
      ledger(first: $first, after: $after) {
        nodes {
          id
          kind
          amount
          balanceAfter
          memo
          createdAt
          post {
            id
            title
          }
          share {
            id
            post {
              id
              title
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const RECIPROCITY = graphql(`
  query Reciprocity($first: Int, $after: String) {
    viewer {
      reciprocity(first: $first, after: $after) {
        nodes {
          sharesGiven
          sharesReceived
          lastSharedAt
          peer {
            id
            handle
            displayName
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
