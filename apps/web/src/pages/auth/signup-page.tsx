import { useState, type FormEvent } from 'react';
import { Link } from '@tanstack/react-router';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { useSession } from '../../session/session';
import { FormAlert, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { AuthLayout } from './auth-layout';
import { REGISTER } from './auth-operations';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HANDLE = /^[a-z0-9_]{3,30}$/;

/** The checks the server also makes, done first so a typo is caught before a round trip. */
export function validateSignup(input: { email: string; handle: string; displayName: string; password: string }) {
  return {
    email: !input.email ? 'Enter your email address' : !EMAIL.test(input.email) ? 'Enter a valid email address' : undefined,
    handle: !input.handle
      ? 'Choose a handle'
      : !HANDLE.test(input.handle)
        ? 'A handle is 3 to 30 characters: lower-case letters, digits and _'
        : undefined,
    displayName: !input.displayName
      ? 'Enter the name peers will see'
      : input.displayName.length > 80
        ? 'A display name is at most 80 characters'
        : undefined,
    password:
      input.password.length < 10
        ? 'A password is at least 10 characters long'
        : input.password.length > 256
          ? 'A password is at most 256 characters long'
          : undefined,
  };
}

export default function SignupPage() {
  // No access token goes with it; the refresh token comes back as an HttpOnly cookie, out of any script's reach.
  const register = useGraphqlMutation(REGISTER, { request: { auth: false } });
  const session = useSession();
  const [pending, setPending] = useState(false);
  const { formRef, errors, showInvalid, showError } = useFormErrors({ fields: ['email', 'handle', 'displayName', 'password'] });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = {
      email: String(data.get('email') ?? '').trim(),
      handle: String(data.get('handle') ?? '')
        .trim()
        .toLowerCase(),
      displayName: String(data.get('displayName') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    if (showInvalid(validateSignup(input))) return;
    setPending(true);
    try {
      const result = await register.mutateAsync({ input: { ...input, sessionCookie: true } });
      session.signIn(result.register);
    } catch (error) {
      showError(error);
      setPending(false);
    }
  };

  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already a member? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert message={errors.message} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={errors.fields.email} />
        <TextField
          label="Handle"
          name="handle"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint="How peers find you: 3 to 30 lower-case letters, digits or _"
          error={errors.fields.handle}
        />
        <TextField label="Display name" name="displayName" autoComplete="name" required error={errors.fields.displayName} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters"
          error={errors.fields.password}
        />
        <button type="submit" className="button button--primary button--block" disabled={pending}>
          {pending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
