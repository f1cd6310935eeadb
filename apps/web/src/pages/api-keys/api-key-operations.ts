import { graphql, type ResultOf } from '../../graphql/graphql';

export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    scopes
    createdAt
    lastUsedAt
    revokedAt
  }
`);

export type ApiKeyRow = ResultOf<typeof ApiKeyFields>;

export const MY_API_KEYS = graphql(
  `
    query MyApiKeys {
      viewer {
        apiKeys {
          ...ApiKeyFields
        }
      }
    }
  `,
  [ApiKeyFields],
);

export const CREATE_API_KEY = graphql(
  `
    mutation CreateApiKey($input: CreateApiKeyInput!) {
      createApiKey(input: $input) {
        secret
        apiKey {
          ...ApiKeyFields
        }
      }
    }
  `,
  [ApiKeyFields],
);

export const REVOKE_API_KEY = graphql(
  `
    mutation RevokeApiKey($id: ID!) {
      revokeApiKey(id: $id) {
        ...ApiKeyFields
      }
    }
  `,
  [ApiKeyFields],
);
