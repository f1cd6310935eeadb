import { graphql, type ResultOf } from '../../graphql/graphql';

export const MyPostFields = graphql(`
  fragment MyPostFields on Post {
    id
    url
    title
    summary
    imageUrl
    creditsPerShare
    budgetRemaining
    status
    rejectionReason
    shareCount
    sharingPaused
    previewStatus
    previewError
    createdAt
    niche {
      id
      name
    }
  }
`);

export type MyPost = ResultOf<typeof MyPostFields>;

export const MY_POSTS = graphql(
  `
    query MyPosts($first: Int, $after: String, $status: PostStatus) {
      viewer {
        posts(first: $first, after: $after, status: $status) {
          nodes {
            ...MyPostFields
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `,
  [MyPostFields],
);

export const SUBMIT_POST = graphql(
  `
    mutation SubmitPost($input: SubmitPostInput!) {
      submitPost(input: $input) {
        ...MyPostFields
      }
    }
  `,
  [MyPostFields],
);

export const EDIT_POST = graphql(
  `
    mutation EditPost($input: EditPostInput!) {
      editPost(input: $input) {
        ...MyPostFields
      }
    }
  `,
  [MyPostFields],
);

export const WITHDRAW_POST = graphql(
  `
    mutation WithdrawPost($id: ID!) {
      withdrawPost(id: $id) {
        ...MyPostFields
      }
    }
  `,
  [MyPostFields],
);

export const POST_SHARES = graphql(`
  query PostShares($id: ID!) {
    node(id: $id) {
      ... on Post {
        id
        shares(first: 50) {
          totalCount
          nodes {
            id
            status
            postedAt
            scheduledFor
            externalUrl
            sharer {
              id
              handle
              displayName
            }
            channel {
              id
              network
              handle
            }
          }
        }
      }
    }
  }
`);

export const SUBMIT_NICHES = graphql(`
  query SubmitNiches {
    niches {
      id
      name
    }
  }
`);
