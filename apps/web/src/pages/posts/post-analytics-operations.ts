import { graphql, type ResultOf } from '../../graphql/graphql';

export const POST_ANALYTICS = graphql(`
  query PostAnalytics($id: ID!, $days: Int!) {
    node(id: $id) {
      ... on Post {
        id
        title
        url
        status
        creditsPerShare
        shareCount
        clicks
        reach
        clickHistory(days: $days) {
          day
          count
        }
        shares(first: 100) {
          nodes {
            id
            status
            clicks
            channel {
              id
              network
              audienceSize
            }
            sharer {
              id
              handle
              displayName
            }
          }
          totalCount
        }
      }
    }
  }
`);

export type PostAnalytics = Extract<NonNullable<ResultOf<typeof POST_ANALYTICS>['node']>, { clicks: number }>;
