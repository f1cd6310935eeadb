import { graphql, type ResultOf } from '../../graphql/graphql';

export const MODERATION_QUEUE = graphql(`
  query ModerationQueue($first: Int, $after: String) {
    moderationQueue(first: $first, after: $after) {
      totalCount
      nodes {
        id
        url
        title
        summary
        imageUrl
        suggestedMessage
        creditsPerShare
        budgetRemaining
        createdAt
        niche {
          id
          name
        }
        author {
          id
          handle
          displayName
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type QueuedPost = ResultOf<typeof MODERATION_QUEUE>['moderationQueue']['nodes'][number];

export const MODERATE_POST = graphql(`
  mutation ModeratePost($input: ModeratePostInput!) {
    moderatePost(input: $input) {
      id
      status
      rejectionReason
    }
  }
`);
