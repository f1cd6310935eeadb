import { graphql } from '../../graphql/graphql';
import { SessionViewerFields } from '../../session/session-viewer';

export const LOGIN = graphql(
  `
    mutation Login($input: LoginInput!) {
      login(input: $input) {
        accessToken
        expiresIn
        viewer {
          ...SessionViewerFields
        }
      }
    }
  `,
  [SessionViewerFields],
);

export const REGISTER = graphql(
  `
    mutation Register($input: RegisterInput!) {
      register(input: $input) {
        accessToken
        expiresIn
        viewer {
          ...SessionViewerFields
        }
      }
    }
  `,
  [SessionViewerFields],
);
