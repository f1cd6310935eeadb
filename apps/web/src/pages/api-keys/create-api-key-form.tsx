import { useState, type FormEvent } from 'react';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { SecretReveal } from '../../ui/copy-button';
import { FormAlert, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { CREATE_API_KEY, type ApiKeyRow } from './api-key-operations';

type Scope = 'READ' | 'SUBMIT' | 'SHARE';
const SCOPES: { scope: Scope; label: string; description: string }[] = [
  { scope: 'READ', label: 'Read', description: 'your data, the feed and public members' },
  { scope: 'SUBMIT', label: 'Submit', description: 'submit and withdraw posts' },
  { scope: 'SHARE', label: 'Share', description: 'share posts and cancel shares' },
];

/**
 * Creating a partner API key. The secret comes back once: it is shown with a copy button until
 * the member says they saved it, then it is gone from the page for good.
 */
export function CreateApiKeyForm({ onCreated }: { onCreated: (key: ApiKeyRow) => void }) {
  const { mutateAsync: createApiKey, isPending: pending } = useGraphqlMutation(CREATE_API_KEY);
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['READ']));
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['name', 'scopes'] });

  const toggle = (scope: Scope) =>
    setScopes((current) => {
      const next = new Set(current);
      if (next.has(scope)) next.delete(scope);
      else next.add(scope);
      return next;
    });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    const invalid = showInvalid({
      name: !name ? 'Name the key after the app that will use it' : name.length > 100 ? 'A name is at most 100 characters' : undefined,
      scopes: scopes.size === 0 ? 'Choose at least one permission' : undefined,
    });
    if (invalid) return;
    try {
      const result = await createApiKey({ input: { name, scopes: SCOPES.map((s) => s.scope).filter((s) => scopes.has(s)) } });
      form.reset();
      setScopes(new Set(['READ']));
      setCreated({ name, secret: result.createApiKey.secret });
      onCreated(result.createApiKey.apiKey);
    } catch (error) {
      showError(error);
    }
  };

  if (created) {
    return (
      <section className="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title" className="card__title">
          Key “{created.name}” created
        </h2>
        <SecretReveal label="API key secret" value={created.secret}>
          Copy it now and store it in the app that uses it: Sharepool keeps only a fingerprint and cannot show it again.
        </SecretReveal>
        <button type="button" className="button button--primary" onClick={() => setCreated(undefined)}>
          Done, I saved it
        </button>
      </section>
    );
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form card" aria-labelledby="create-key-title">
      <h2 id="create-key-title" className="card__title">
        Create an API key
      </h2>
      <FormAlert message={errors.message} />
      <TextField label="Name" name="name" placeholder="e.g. WordPress plugin" error={errors.fields.name} />
      <fieldset
        className={`fieldset ${errors.fields.scopes ? 'field--invalid' : ''}`}
        aria-describedby={errors.fields.scopes ? 'scopes-error' : undefined}
      >
        <legend className="field__label">Permissions</legend>
        {SCOPES.map(({ scope, label, description }) => (
          <label key={scope} className="choice">
            <input
              type="checkbox"
              name="scopes"
              value={scope}
              checked={scopes.has(scope)}
              aria-invalid={errors.fields.scopes ? true : undefined}
              onChange={() => toggle(scope)}
            />
            <span>
              <strong>{label}</strong> <span className="muted">— {description}</span>
            </span>
          </label>
        ))}
        {errors.fields.scopes && (
          <p id="scopes-error" className="field__error">
            {errors.fields.scopes}
          </p>
        )}
      </fieldset>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
