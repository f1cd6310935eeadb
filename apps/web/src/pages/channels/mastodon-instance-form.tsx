import type { FormEvent } from 'react';
import { FormAlert, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { useStartConnection } from './use-start-connection';

/** A bare host ("mastodon.social") or a full address: either names an instance. */
function looksLikeInstance(value: string): boolean {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Mastodon runs on many servers: the member names theirs, then signs in there. */
export function MastodonInstanceForm({ handle, onBack }: { handle?: string; onBack: () => void }) {
  const { start, leaving } = useStartConnection();
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['instanceUrl', 'network'] });
  const defaultInstance = handle?.includes('@') ? handle.replace(/^@?[^@]+@/, '') : '';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const instanceUrl = String(new FormData(event.currentTarget).get('instanceUrl') ?? '').trim();
    if (showInvalid({ instanceUrl: looksLikeInstance(instanceUrl) ? undefined : 'Enter your Mastodon server, such as mastodon.social' }))
      return;
    try {
      await start('MASTODON', instanceUrl);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form">
      <FormAlert message={errors.message ?? errors.fields.network} />
      <TextField
        label="Your Mastodon server"
        name="instanceUrl"
        placeholder="mastodon.social"
        defaultValue={defaultInstance}
        autoCapitalize="none"
        autoComplete="url"
        spellCheck={false}
        hint={handle ? `The server where ${handle} lives.` : 'The server where your account lives, e.g. mastodon.social or fosstodon.org.'}
        error={errors.fields.instanceUrl}
      />
      <p className="muted">
        You sign in on your server and allow Sharepool to read your profile and post for you. Your password never reaches Sharepool.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button button--primary" disabled={leaving !== undefined}>
          {leaving ? 'Opening Mastodon…' : 'Continue to Mastodon'}
        </button>
      </div>
    </form>
  );
}
