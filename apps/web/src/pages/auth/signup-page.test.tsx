import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderSignedOut, viewerFixture } from '../../testing/render-app';
import SignupPage from './signup-page';

async function fill(values: { email?: string; handle?: string; displayName?: string; password?: string }) {
  const user = userEvent.setup();
  await screen.findByRole('button', { name: 'Create account' });
  if (values.email) await user.type(screen.getByLabelText('Email'), values.email);
  if (values.handle) await user.type(screen.getByLabelText('Handle'), values.handle);
  if (values.displayName) await user.type(screen.getByLabelText('Display name'), values.displayName);
  if (values.password) await user.type(screen.getByLabelText('Password'), values.password);
  await user.click(screen.getByRole('button', { name: 'Create account' }));
}

const valid = { email: 'ada@example.com', handle: 'ada', displayName: 'Ada Lovelace', password: 'analytical-engine' };

describe('sign-up page', () => {
  it('checks the handle and password length before sending, each under its own input', async () => {
    const api = createFakeApi();
    renderSignedOut(<SignupPage />, api);
    await fill({ ...valid, handle: 'a!', password: 'short' });
    expect(screen.getByLabelText('Handle')).toHaveAccessibleDescription(expect.stringContaining('3 to 30 characters'));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining('at least 10 characters'));
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Handle')).toHaveFocus();
    expect(api.requests).toHaveLength(0);
  });

  it('shows a taken handle under the handle input', async () => {
    const api = createFakeApi().on('Register', gqlError('CONFLICT', 'The handle "ada" is taken', { field: 'handle' }));
    renderSignedOut(<SignupPage />, api);
    await fill(valid);
    const handle = await screen.findByLabelText('Handle');
    expect(await screen.findByText('The handle "ada" is taken')).toBeInTheDocument();
    expect(handle).toHaveAccessibleDescription(expect.stringContaining('The handle "ada" is taken'));
    expect(handle).toHaveFocus();
  });

  it('shows a common-password rejection under the password input', async () => {
    const api = createFakeApi().on(
      'Register',
      gqlError('BAD_USER_INPUT', 'This password is too common; choose another', { field: 'password' }),
    );
    renderSignedOut(<SignupPage />, api);
    await fill(valid);
    expect(await screen.findByText('This password is too common; choose another')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('registers with the handle in lower case and keeps the session', async () => {
    const api = createFakeApi().on('Register', {
      data: { register: { accessToken: 'a1', expiresIn: 900, viewer: viewerFixture() } },
    });
    renderSignedOut(<SignupPage />, api);
    await fill({ ...valid, handle: 'Ada_L' });
    await waitFor(() => expect(api.calls('Register')).toHaveLength(1));
    expect(api.calls('Register')[0].variables.input).toEqual({ ...valid, handle: 'ada_l', sessionCookie: true });
    expect(localStorage.length).toBe(0);
  });
});
