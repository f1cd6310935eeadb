import { graphql, type ResultOf } from '../../graphql/graphql';

export const ChannelFields = graphql(`
  fragment ChannelFields on Channel {
    id
    network
    handle
    audienceSize
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
