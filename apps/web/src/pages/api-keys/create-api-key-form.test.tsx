import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import { CreateApiKeyForm } from './create-api-key-form';

const SECRET = 'sp_live_3f9a0c1d2e4b5a6978';

function created(name: string, scopes: string[]) {
  return {
    data: {
      createApiKey: {
        secret: SECRET,
        apiKey: { id: 'k1', name, prefix: 'sp_live_3f', scopes, createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null, revokedAt: null },
      },
    },
  };
}

describe('API key creation', () => {
  it('shows the secret once, with a copy button, and never again after "Done"', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const api = createFakeApi().on('CreateApiKey', ({ input }) => created(input.name, input.scopes));
    const onCreated = vi.fn();
    renderSignedIn(<CreateApiKeyForm onCreated={onCreated} />, api);

    await user.type(await screen.findByLabelText('Name'), 'WordPress plugin');
    await user.click(screen.getByRole('checkbox', { name: /Share/ }));
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByText(SECRET)).toBeInTheDocument();
    expect(screen.getByText(/cannot show it again/)).toBeInTheDocument();
    expect(api.calls('CreateApiKey')[0].variables.input).toEqual({ name: 'WordPress plugin', scopes: ['READ', 'SHARE'] });
    expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 'k1', prefix: 'sp_live_3f' }));

    await user.click(screen.getByRole('button', { name: 'Copy API key secret' }));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(await screen.findByText('Copied to the clipboard')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Done, I saved it' }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(screen.getByRole('button', { name: 'Create key' })).toBeInTheDocument();
  });

  it('needs a name and at least one permission', async () => {
    const user = userEvent.setup();
    const api = createFakeApi();
    renderSignedIn(<CreateApiKeyForm onCreated={() => undefined} />, api);
    await user.click(await screen.findByRole('checkbox', { name: /Read/ }));
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Name the key after the app that will use it');
    expect(screen.getByText('Choose at least one permission')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.operationName === 'CreateApiKey')).toHaveLength(0);
  });

  it('shows a server refusal next to the name', async () => {
    const user = userEvent.setup();
    const api = createFakeApi().on('CreateApiKey', gqlError('BAD_USER_INPUT', 'A key name is at most 60 characters', { field: 'name' }));
    renderSignedIn(<CreateApiKeyForm onCreated={() => undefined} />, api);
    await user.type(await screen.findByLabelText('Name'), 'x'.repeat(70));
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('A key name is at most 60 characters'));
  });
});
