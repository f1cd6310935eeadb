import { graphql, type ResultOf } from '../../graphql/graphql';

export const AdminMemberFields = graphql(`
  fragment AdminMemberFields on Member {
    id
    handle
    displayName
    role
    status
    suspendedReason
    createdAt
  }
`);

export type AdminMember = ResultOf<typeof AdminMemberFields>;

export const MEMBERS = graphql(
  `
    query Members($first: Int, $after: String, $search: String, $status: MemberStatus, $role: Role) {
      members(first: $first, after: $after, search: $search, status: $status, role: $role) {
        totalCount
        nodes {
          ...AdminMemberFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [AdminMemberFields],
);

export const SUSPEND_MEMBER = graphql(
  `
    mutation SuspendMember($input: SuspendMemberInput!) {
      suspendMember(input: $input) {
        ...AdminMemberFields
      }
    }
  `,
  [AdminMemberFields],
);

export const REINSTATE_MEMBER = graphql(
  `
    mutation ReinstateMember($input: ReinstateMemberInput!) {
      reinstateMember(input: $input) {
        ...AdminMemberFields
      }
    }
  `,
  [AdminMemberFields],
);

export const SET_ROLE = graphql(
  `
    mutation SetRole($input: SetRoleInput!) {
      setRole(input: $input) {
        ...AdminMemberFields
      }
    }
  `,
  [AdminMemberFields],
);

export const MEMBER_BY_HANDLE = graphql(`
  query MemberByHandle($handle: String!) {
    member(handle: $handle) {
      id
      handle
      displayName
    }
  }
`);

export const ADJUST_CREDITS = graphql(`
  mutation AdjustCredits($input: AdjustCreditsInput!) {
    adjustCredits(input: $input) {
      id
      amount
      balanceAfter
    }
  }
`);

export const ADMIN_NICHES = graphql(`
  query AdminNiches {
    niches {
      id
      slug
      name
    }
  }
`);

export const CREATE_NICHE = graphql(`
  mutation CreateNiche($input: CreateNicheInput!) {
    createNiche(input: $input) {
      id
      slug
      name
    }
  }
`);

export const AUDIT_LOG = graphql(`
  query AuditLog($first: Int, $after: String) {
    auditLog(first: $first, after: $after) {
      nodes {
        id
        action
        targetType
        targetId
        reason
        createdAt
        actor {
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
`);

export const PauseFields = graphql(`
  fragment PauseFields on SharingPause {
    id
    scope
    reason
    createdAt
    post {
      id
      title
    }
    niche {
      id
      name
    }
    pausedBy {
      id
      handle
    }
  }
`);

export type SharingPause = ResultOf<typeof PauseFields>;

export const SHARING_PAUSES = graphql(
  `
    query SharingPauses {
      sharingPauses {
        ...PauseFields
      }
      niches {
        id
        name
      }
    }
  `,
  [PauseFields],
);

export const PAUSE_SHARING = graphql(
  `
    mutation PauseSharing($input: PauseSharingInput!) {
      pauseSharing(input: $input) {
        ...PauseFields
      }
    }
  `,
  [PauseFields],
);

export const RESUME_SHARING = graphql(`
  mutation ResumeSharing($input: ResumeSharingInput!) {
    resumeSharing(input: $input) {
      id
    }
  }
`);

/** A single-use ticket that opens the queue board (no token in the address). */
export const CREATE_QUEUE_BOARD_TICKET = graphql(`
  mutation CreateQueueBoardTicket {
    createQueueBoardTicket {
      url
    }
  }
`);

export const ADMIN_DASHBOARD = graphql(`
  query AdminDashboard($days: Int!) {
    adminDashboard(days: $days) {
      days {
        day
        activeMembers
        newMembers
        postsSubmitted
        sharesPosted
        sharesFailed
        clicks
      }
      topNiches {
        niche {
          id
          name
        }
        postsSubmitted
        sharesPosted
        clicks
      }
    }
  }
`);
