import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useSession } from '../../session/session';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderSignedOut, viewerFixture } from '../../testing/render-app';
import LoginPage from './login-page';

function LoginOrWelcome() {
  const session = useSession();
  return session.status === 'signed-in' ? <p>Welcome {session.viewer?.member.displayName}</p> : <LoginPage />;
}

async function logIn(email: string, password: string) {
  const user = userEvent.setup();
  await screen.findByRole('button', { name: 'Log in' });
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('login page', () => {
  it('asks for both fields under each input and focuses the first one, without calling the server', async () => {
    const api = createFakeApi();
    renderSignedOut(<LoginPage />, api);
    await logIn('', '');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password');
    expect(email).toHaveFocus();
    expect(api.requests).toHaveLength(0);
  });

  it('places a server error about the email under the email input', async () => {
    const api = createFakeApi().on('Login', gqlError('BAD_USER_INPUT', 'Enter a valid email address', { field: 'email' }));
    renderSignedOut(<LoginPage />, api);
    await logIn('ada@example.c', 'correct horse battery');
    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAccessibleDescription('Enter a valid email address'));
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
    expect(email).toHaveFocus();
  });

  it('says the email and password do not match rather than "session ended"', async () => {
    const api = createFakeApi().on('Login', gqlError('UNAUTHENTICATED', 'Invalid email or password'));
    renderSignedOut(<LoginPage />, api);
    await logIn('ada@example.com', 'wrong password!');
    expect(await screen.findByRole('alert')).toHaveTextContent("That email and password don't match an account.");
  });

  it('tells a suspended member clearly', async () => {
    const api = createFakeApi().on(
      'Login',
      gqlError('FORBIDDEN', 'This account is suspended. Contact the moderators if you think this is a mistake.'),
    );
    renderSignedOut(<LoginPage />, api);
    await logIn('ada@example.com', 'correct horse battery');
    expect(await screen.findByRole('alert')).toHaveTextContent('Your account is suspended');
  });

  it('says when to try again after too many attempts', async () => {
    const api = createFakeApi().on('Login', gqlError('RATE_LIMITED', 'Too many login attempts', { retryAfter: 720 }));
    renderSignedOut(<LoginPage />, api);
    await logIn('ada@example.com', 'correct horse battery');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts — try again in 12 minutes');
  });

  it('signs in asking for the session cookie, keeping no token in storage, and sending JSON without a token', async () => {
    const api = createFakeApi().on('Login', {
      data: { login: { accessToken: 'a1', expiresIn: 900, viewer: viewerFixture() } },
    });
    renderSignedOut(<LoginOrWelcome />, api);
    await logIn('ada@example.com', 'correct horse battery');
    expect(await screen.findByText('Welcome Ada Lovelace')).toBeInTheDocument();
    expect(localStorage.length).toBe(0);
    const [request] = api.calls('Login');
    expect(request.variables).toEqual({ input: { email: 'ada@example.com', password: 'correct horse battery', sessionCookie: true } });
    expect(request.query).not.toContain('refreshToken');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
  });
});
