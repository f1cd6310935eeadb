import { useState, type FormEvent } from 'react';
import { Link } from '@tanstack/react-router';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { useSession } from '../../session/session';
import { FormAlert, TextField } from '../../ui/field';
import { useFormErrors } from '../../ui/use-form-errors';
import { AuthLayout } from './auth-layout';
import { LOGIN } from './auth-operations';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default function LoginPage() {
  // No access token goes with it; the refresh token comes back as an HttpOnly cookie, out of any script's reach.
  const login = useGraphqlMutation(LOGIN, { request: { auth: false } });
  const session = useSession();
  const [pending, setPending] = useState(false);
  const { formRef, errors, showInvalid, showError } = useFormErrors({
    fields: ['email', 'password'],
    words: { UNAUTHENTICATED: "That email and password don't match an account." },
  });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const invalid = showInvalid({
      email: !email ? 'Enter your email address' : !EMAIL.test(email) ? 'Enter a valid email address' : undefined,
      password: !password ? 'Enter your password' : undefined,
    });
    if (invalid) return;
    setPending(true);
    try {
      const result = await login.mutateAsync({ input: { email, password, sessionCookie: true } });
      session.signIn(result.login);
    } catch (error) {
      showError(error);
      setPending(false);
    }
  };

  return (
    <AuthLayout
      title="Log in"
      footer={
        <>
          New to Sharepool? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      {session.notice && (
        <div className="alert alert--warning" role="status">
          {session.notice}
        </div>
      )}
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert message={errors.message} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={errors.fields.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.fields.password}
        />
        <button type="submit" className="button button--primary button--block" disabled={pending}>
          {pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthLayout>
  );
}
