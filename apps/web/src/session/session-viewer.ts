import { graphql, type ResultOf } from '../graphql/graphql';

/** What every page may need about the signed-in member. */
export const SessionViewerFields = graphql(`
  fragment SessionViewerFields on Viewer {
    email
    creditBalance
    member {
      id
      handle
      displayName
      role
      status
      niches {
        id
        slug
        name
      }
    }
  }
`);

export const SESSION_VIEWER = graphql(
  `
    query SessionViewer {
      viewer {
        ...SessionViewerFields
      }
    }
  `,
  [SessionViewerFields],
);

export type SessionViewer = ResultOf<typeof SessionViewerFields>;

/** What register and login answer (the refresh token goes into the session cookie, not here). */
export interface AuthPayloadLike {
  accessToken: string;
  expiresIn: number;
  viewer: SessionViewer;
}

export function isModerator(viewer: SessionViewer | undefined): boolean {
  return viewer?.member.role === 'MODERATOR' || viewer?.member.role === 'ADMIN';
}

export function isAdmin(viewer: SessionViewer | undefined): boolean {
  return viewer?.member.role === 'ADMIN';
}
