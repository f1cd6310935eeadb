import { graphql } from '../../graphql/graphql';

export const WALLET_SUMMARY = graphql(`
  query WalletSummary($weeks: Int!) {
    viewer {
      creditBalance
      creditHistory(days: 30) {
        day
        balance
      }
      returnOnRelationship(weeks: $weeks) {
        weekStart
        sharesGiven
        sharesReceived
        creditsEarned
        creditsSpent
        reachReceived
        clicksReceived
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
