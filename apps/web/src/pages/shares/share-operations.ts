import { graphql, type ResultOf } from '../../graphql/graphql';

export const MyShareFields = graphql(`
  fragment MyShareFields on Share {
    id
    status
    message
    scheduledFor
    postedAt
    externalUrl
    failureReason
    creditsEarned
    createdAt
    post {
      id
      title
      url
      imageUrl
      creditsPerShare
      author {
        id
        handle
        displayName
      }
    }
    channel {
      id
      network
      handle
    }
  }
`);

export type MyShare = ResultOf<typeof MyShareFields>;

export const MY_SHARES = graphql(
  `
    query MyShares($first: Int, $after: String, $status: ShareStatus) {
      viewer {
        shares(first: $first, after: $after, status: $status) {
          nodes {
            ...MyShareFields
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `,
  [MyShareFields],
);

export const CANCEL_SHARE = graphql(
  `
    mutation CancelShare($id: ID!) {
      cancelShare(id: $id) {
        ...MyShareFields
      }
    }
  `,
  [MyShareFields],
);
