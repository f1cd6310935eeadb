import type { FormEvent } from 'react';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { FormAlert, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { CONNECT_CHANNEL, type MyChannel } from './channel-operations';

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The two networks connected with credentials rather than a consent page: Bluesky (an app
 * password; its OAuth is a later step) and a webhook (an address Sharepool signs its posts to).
 */
export function CredentialsForm({
  network,
  handle,
  onConnected,
  onBack,
}: {
  network: 'BLUESKY' | 'WEBHOOK';
  handle?: string;
  onConnected: (channel: MyChannel, signingSecret: string | null) => void;
  onBack: () => void;
}) {
  const { mutateAsync: connect, isPending: pending } = useGraphqlMutation(CONNECT_CHANNEL);
  const { formRef, errors, showInvalid, showError } = useFormErrors({
    fields: ['network', 'handle', 'webhookUrl', 'instanceUrl', 'appPassword', 'audienceSize'],
  });
  const webhook = network === 'WEBHOOK';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    const audience = text('audienceSize');
    const input = {
      network,
      handle: text('handle') ?? '',
      webhookUrl: webhook ? text('webhookUrl') : undefined,
      instanceUrl: webhook ? undefined : text('instanceUrl'),
      appPassword: webhook ? undefined : text('appPassword'),
      audienceSize: audience === undefined ? undefined : Number(audience),
    };
    const invalid = showInvalid({
      handle: input.handle ? undefined : webhook ? 'Give this endpoint a name' : 'Enter your Bluesky handle',
      webhookUrl:
        webhook && (!input.webhookUrl || !isWebAddress(input.webhookUrl))
          ? 'Enter the full https:// address that receives shares'
          : undefined,
      instanceUrl:
        !webhook && input.instanceUrl && !isWebAddress(input.instanceUrl) ? 'Enter the server address, starting with https://' : undefined,
      appPassword: !webhook && !input.appPassword ? 'Paste an app password' : undefined,
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
      <FormAlert message={errors.message ?? errors.fields.network} />
      <TextField
        label={webhook ? 'Name' : 'Handle'}
        name="handle"
        defaultValue={handle}
        autoCapitalize="none"
        spellCheck={false}
        hint={webhook ? 'A name for this endpoint, e.g. “my-blog”' : 'Your handle, e.g. you.bsky.social'}
        error={errors.fields.handle}
      />
      {webhook ? (
        <>
          <TextField
            label="Webhook URL"
            name="webhookUrl"
            type="url"
            placeholder="https://"
            hint="Each share is sent there as signed JSON (HMAC-SHA256)."
            error={errors.fields.webhookUrl}
          />
          <TextField
            label="Followers (optional)"
            name="audienceSize"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            hint="Shown as stated by you: Sharepool cannot check it."
            error={errors.fields.audienceSize}
          />
        </>
      ) : (
        <>
          <TextField
            label="App password"
            name="appPassword"
            type="password"
            autoComplete="off"
            hint="Settings → Privacy and security → App passwords. Never your main password."
            error={errors.fields.appPassword}
          />
          <TextField
            label="Server (PDS) URL"
            name="instanceUrl"
            type="url"
            defaultValue="https://bsky.social"
            error={errors.fields.instanceUrl}
          />
        </>
      )}
      <p className="muted">Credentials are stored encrypted and are never shown again, not even to you.</p>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Connecting…' : webhook ? 'Connect the webhook' : 'Connect Bluesky'}
        </button>
      </div>
    </form>
  );
}
