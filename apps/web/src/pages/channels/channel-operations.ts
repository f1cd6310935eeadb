import { graphql, type ResultOf } from '../../graphql/graphql';

export const ChannelFields = graphql(`
  fragment ChannelFields on Channel {
    id
    network
    handle
    audienceSize
    audienceVerified
    audienceCheckedAt
    status
    statusReason
    createdAt
  }
`);

export type MyChannel = ResultOf<typeof ChannelFields>;

export const MY_CHANNELS = graphql(
  `
    query MyChannels {
      viewer {
        channels {
          ...ChannelFields
        }
      }
    }
  `,
  [ChannelFields],
);

/** The networks whose consent page this server can send members to. */
export const CONNECTABLE_NETWORKS = graphql(`
  query ConnectableNetworks {
    oauthNetworks
  }
`);

export const START_CHANNEL_CONNECTION = graphql(`
  mutation StartChannelConnection($input: StartChannelConnectionInput!) {
    startChannelConnection(input: $input) {
      authorizeUrl
      expiresAt
    }
  }
`);

export const CONNECT_CHANNEL = graphql(
  `
    mutation ConnectChannel($input: ConnectChannelInput!) {
      connectChannel(input: $input) {
        signingSecret
        channel {
          ...ChannelFields
        }
      }
    }
  `,
  [ChannelFields],
);

export const DISCONNECT_CHANNEL = graphql(
  `
    mutation DisconnectChannel($id: ID!) {
      disconnectChannel(id: $id) {
        ...ChannelFields
      }
    }
  `,
  [ChannelFields],
);
