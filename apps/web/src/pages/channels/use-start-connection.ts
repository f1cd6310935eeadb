import { useCallback, useState } from 'react';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { leaveApp } from '../../app/leave-app';
import { START_CHANNEL_CONNECTION } from './channel-operations';

export type OAuthNetworkName = 'MASTODON' | 'X' | 'LINKEDIN';

/** Where the network sends the member back to, through the API's callback. */
export const RETURN_PATH = '/channels';

/**
 * Starts connecting through the network's consent page and takes the browser there. The promise
 * rejects with the API's error (to show on the form); on success the page is left, so `leaving`
 * stays true and the buttons stay disabled until the browser goes.
 */
export function useStartConnection() {
  const { mutateAsync: start } = useGraphqlMutation(START_CHANNEL_CONNECTION);
  const [leaving, setLeaving] = useState<OAuthNetworkName>();

  const go = useCallback(
    async (network: OAuthNetworkName, instanceUrl?: string) => {
      setLeaving(network);
      try {
        const result = await start({ input: { network, instanceUrl, returnTo: RETURN_PATH } });
        leaveApp(result.startChannelConnection.authorizeUrl);
      } catch (error) {
        setLeaving(undefined);
        throw error;
      }
    },
    [start],
  );
  return { start: go, leaving };
}
