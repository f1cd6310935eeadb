import { graphql } from '../../graphql/graphql';

export const ALL_NICHES = graphql(`
  query AllNiches {
    niches {
      id
      slug
      name
    }
  }
`);

export const JOIN_NICHE = graphql(`
  mutation JoinNiche($nicheId: ID!) {
    joinNiche(nicheId: $nicheId) {
      member {
        id
        niches {
          id
          slug
          name
        }
      }
    }
  }
`);

export const LEAVE_NICHE = graphql(`
  mutation LeaveNiche($nicheId: ID!) {
    leaveNiche(nicheId: $nicheId) {
      member {
        id
        niches {
          id
          slug
          name
        }
      }
    }
  }
`);
