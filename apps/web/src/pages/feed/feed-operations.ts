import { graphql, type ResultOf } from '../../graphql/graphql';

export const FeedPostFields = graphql(`
  fragment FeedPostFields on Post {
    id
    url
    title
    summary
    imageUrl
    suggestedMessage
    creditsPerShare
    budgetRemaining
    viewerHasShared
    sharingPaused
    createdAt
    niche {
      id
      name
    }
    author {
      id
      handle
      displayName
    }
  }
`);

export type FeedPost = ResultOf<typeof FeedPostFields>;

export const SHARE_FEED = graphql(
  `
    query ShareFeed($first: Int, $after: String, $nicheId: ID) {
      shareFeed(first: $first, after: $after, nicheId: $nicheId) {
        nodes {
          ...FeedPostFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [FeedPostFields],
);

export const SHARE_CHANNELS = graphql(`
  query ShareChannels {
    viewer {
      channels {
        id
        network
        handle
        audienceSize
        status
      }
    }
  }
`);

export type ShareChannel = ResultOf<typeof SHARE_CHANNELS>['viewer']['channels'][number];

export const SHARE_POST = graphql(`
  mutation SharePost($input: SharePostInput!) {
    sharePost(input: $input) {
      id
      status
      scheduledFor
      channel {
        id
        network
      }
    }
  }
`);
