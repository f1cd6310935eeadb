import { useState } from 'react';
import { useGraphqlQuery } from '../../api/graphql-queries';
import { errorText } from '../../api/error-text';
import { NETWORK_NAMES } from '../../ui/badge';
import { FormAlert } from '../../ui/field';
import { CONNECTABLE_NETWORKS, type MyChannel } from './channel-operations';
import { CredentialsForm } from './credentials-form';
import { MastodonInstanceForm } from './mastodon-instance-form';
import { useStartConnection } from './use-start-connection';

export type NetworkName = 'WEBHOOK' | 'MASTODON' | 'BLUESKY' | 'X' | 'LINKEDIN';

/** In the order members are asked: the consent-page networks first. */
const CHOICES: { network: NetworkName; label: string; how: string }[] = [
  { network: 'MASTODON', label: 'Connect Mastodon', how: 'Sign in on your Mastodon server' },
  { network: 'X', label: 'Connect X', how: 'Sign in on X' },
  { network: 'LINKEDIN', label: 'Connect LinkedIn', how: 'Sign in on LinkedIn' },
  { network: 'BLUESKY', label: 'Connect Bluesky', how: 'With an app password' },
  { network: 'WEBHOOK', label: 'Connect a webhook', how: 'Your own site receives each share as signed JSON' },
];

/**
 * Connecting a channel: one button per network. Mastodon, X and LinkedIn go to the network's own
 * consent page (Mastodon asks for the server first) and come back to Channels; Bluesky and
 * webhooks take their credentials here. `initial` opens one network directly, for Reconnect.
 */
export function ConnectChannel({
  initial,
  onConnected,
  onCancel,
}: {
  initial?: { network: NetworkName; handle: string };
  onConnected: (channel: MyChannel, signingSecret: string | null) => void;
  onCancel: () => void;
}) {
  const [step, setStep] = useState<NetworkName | undefined>(
    initial?.network === 'X' || initial?.network === 'LINKEDIN' ? undefined : initial?.network,
  );
  const available = useGraphqlQuery(CONNECTABLE_NETWORKS);
  const { start, leaving } = useStartConnection();
  const [failure, setFailure] = useState<string>();
  const back = () => setStep(undefined);

  if (step === 'MASTODON')
    return <MastodonInstanceForm handle={initial?.network === 'MASTODON' ? initial.handle : undefined} onBack={back} />;
  if (step === 'BLUESKY' || step === 'WEBHOOK') {
    return (
      <CredentialsForm
        network={step}
        handle={initial?.network === step ? initial.handle : undefined}
        onConnected={onConnected}
        onBack={back}
      />
    );
  }

  const setUp = (network: NetworkName) =>
    network !== 'X' && network !== 'LINKEDIN' ? true : available.data ? available.data.oauthNetworks.includes(network) : undefined;

  const choose = async (network: NetworkName) => {
    setFailure(undefined);
    if (network !== 'X' && network !== 'LINKEDIN') return setStep(network);
    try {
      await start(network);
    } catch (error) {
      setFailure(errorText(error));
    }
  };

  return (
    <div className="form">
      <FormAlert message={failure} />
      <ul className="choice-list" aria-label="Networks">
        {CHOICES.map(({ network, label, how }) => {
          const ready = setUp(network);
          return (
            <li key={network}>
              <button
                type="button"
                className="button button--secondary button--block connect-choice"
                disabled={ready !== true || leaving !== undefined}
                aria-describedby={`connect-${network}-how`}
                onClick={() => void choose(network)}
              >
                {leaving === network ? `Opening ${NETWORK_NAMES[network]}…` : label}
              </button>
              <span id={`connect-${network}-how`} className="muted connect-choice__how">
                {ready === false ? 'Not set up on this server' : how}
              </span>
            </li>
          );
        })}
      </ul>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
