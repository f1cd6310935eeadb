import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/api-context';
import { NETWORK_NAMES } from '../../ui/badge';
import { FormAlert, SelectField, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { CONNECT_CHANNEL, type MyChannel } from './channel-operations';

export type NetworkName = 'WEBHOOK' | 'MASTODON' | 'BLUESKY' | 'X' | 'LINKEDIN';
export const NETWORKS: NetworkName[] = ['WEBHOOK', 'MASTODON', 'BLUESKY', 'X', 'LINKEDIN'];

/** Which credentials each network asks for, in the words its settings pages use. */
const HANDLE_HINT: Record<NetworkName, string> = {
  WEBHOOK: 'A name for this endpoint, e.g. “my-blog”',
  MASTODON: 'Your account, e.g. @you@mastodon.social',
  BLUESKY: 'Your handle, e.g. you.bsky.social',
  X: 'Your handle, e.g. @you',
  LINKEDIN: 'Your name or page as it appears on LinkedIn',
};

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function ConnectChannelForm({
  initial,
  onConnected,
  onCancel,
}: {
  initial?: { network: NetworkName; handle: string };
  onConnected: (channel: MyChannel, signingSecret: string | null) => void;
  onCancel: () => void;
}) {
  const [network, setNetwork] = useState<NetworkName>(initial?.network ?? 'MASTODON');
  const [connect, { pending }] = useMutation(CONNECT_CHANNEL);
  const { formRef, errors, showInvalid, showError } = useFormErrors({
    fields: ['network', 'handle', 'webhookUrl', 'instanceUrl', 'accessToken', 'appPassword', 'audienceSize'],
  });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    const input = {
      network,
      handle: text('handle') ?? '',
      webhookUrl: network === 'WEBHOOK' ? text('webhookUrl') : undefined,
      instanceUrl: network === 'MASTODON' || network === 'BLUESKY' ? text('instanceUrl') : undefined,
      accessToken: network === 'MASTODON' || network === 'X' || network === 'LINKEDIN' ? text('accessToken') : undefined,
      appPassword: network === 'BLUESKY' ? text('appPassword') : undefined,
      audienceSize: text('audienceSize') ? Number(text('audienceSize')) : undefined,
    };
    const invalid = showInvalid({
      handle: input.handle ? undefined : 'Enter the account’s handle',
      webhookUrl:
        network === 'WEBHOOK' && (!input.webhookUrl || !isWebAddress(input.webhookUrl))
          ? 'Enter the full https:// address that receives shares'
          : undefined,
      instanceUrl:
        (network === 'MASTODON' || network === 'BLUESKY') && (!input.instanceUrl || !isWebAddress(input.instanceUrl))
          ? `Enter the ${network === 'MASTODON' ? 'instance' : 'server'} address, starting with https://`
          : undefined,
      accessToken:
        input.accessToken === undefined && (network === 'MASTODON' || network === 'X' || network === 'LINKEDIN')
          ? 'Paste the access token'
          : undefined,
      appPassword: network === 'BLUESKY' && !input.appPassword ? 'Paste an app password' : undefined,
      audienceSize:
        input.audienceSize !== undefined && (!Number.isInteger(input.audienceSize) || input.audienceSize < 0)
          ? 'Enter a whole number of followers'
          : undefined,
    });
    if (invalid) return;
    try {
      const result = await connect({ input });
      onConnected(result.connectChannel.channel, result.connectChannel.signingSecret ?? null);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form">
      <FormAlert message={errors.message} />
      <SelectField
        label="Network"
        name="network"
        value={network}
        onChange={(event) => setNetwork(event.target.value as NetworkName)}
        error={errors.fields.network}
      >
        {NETWORKS.map((n) => (
          <option key={n} value={n}>
            {NETWORK_NAMES[n]}
          </option>
        ))}
      </SelectField>
      <TextField
        label={network === 'WEBHOOK' ? 'Name' : 'Handle'}
        name="handle"
        defaultValue={initial?.handle}
        autoCapitalize="none"
        spellCheck={false}
        hint={HANDLE_HINT[network]}
        error={errors.fields.handle}
      />
      {network === 'WEBHOOK' && (
        <TextField
          label="Webhook URL"
          name="webhookUrl"
          type="url"
          placeholder="https://"
          hint="Each share is sent there as signed JSON (HMAC-SHA256)."
          error={errors.fields.webhookUrl}
        />
      )}
      {(network === 'MASTODON' || network === 'BLUESKY') && (
        <TextField
          key={network}
          label={network === 'MASTODON' ? 'Instance URL' : 'Server (PDS) URL'}
          name="instanceUrl"
          type="url"
          defaultValue={network === 'BLUESKY' ? 'https://bsky.social' : 'https://mastodon.social'}
          error={errors.fields.instanceUrl}
        />
      )}
      {(network === 'MASTODON' || network === 'X' || network === 'LINKEDIN') && (
        <TextField
          label="Access token"
          name="accessToken"
          type="password"
          autoComplete="off"
          hint={
            network === 'MASTODON'
              ? 'Preferences → Development → New application, with the write:statuses scope.'
              : 'An OAuth token that may post.'
          }
          error={errors.fields.accessToken}
        />
      )}
      {network === 'BLUESKY' && (
        <TextField
          label="App password"
          name="appPassword"
          type="password"
          autoComplete="off"
          hint="Settings → Privacy and security → App passwords. Never your main password."
          error={errors.fields.appPassword}
        />
      )}
      {network !== 'WEBHOOK' && (
        <TextField
          label="Followers (optional)"
          name="audienceSize"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          error={errors.fields.audienceSize}
        />
      )}
      <p className="muted">Credentials are stored encrypted and are never shown again, not even to you.</p>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Connecting…' : `Connect ${NETWORK_NAMES[network]}`}
        </button>
      </div>
    </form>
  );
}
