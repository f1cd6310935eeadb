import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import ChannelsPage from './channels-page';

const needsReauth = {
  id: 'c1',
  network: 'BLUESKY',
  handle: 'ada.bsky.social',
  audienceSize: 300,
  status: 'NEEDS_REAUTH',
  statusReason: 'Bluesky no longer accepts the app password.',
  createdAt: '2026-01-01T00:00:00Z',
};

describe('channels', () => {
  it('shows a channel that needs reconnecting with the reason and a way to reconnect', async () => {
    const api = createFakeApi().on('MyChannels', { data: { viewer: { channels: [needsReauth] } } });
    renderSignedIn(<ChannelsPage />, api);
    const list = await screen.findByRole('list', { name: 'Your channels' });
    expect(within(list).getByText('Needs reconnecting')).toBeInTheDocument();
    expect(list).toHaveTextContent('Bluesky no longer accepts the app password.');
    await userEvent.click(within(list).getByRole('button', { name: 'Reconnect ada.bsky.social' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect a channel' });
    expect(within(dialog).getByLabelText('Network')).toHaveValue('BLUESKY');
    expect(within(dialog).getByLabelText('Handle')).toHaveValue('ada.bsky.social');
  });

  it('shows the webhook signing secret once after connecting', async () => {
    const api = createFakeApi()
      .on('MyChannels', { data: { viewer: { channels: [] } } })
      .on('ConnectChannel', ({ input }) => ({
        data: {
          connectChannel: {
            signingSecret: 'whsec_abc123',
            channel: {
              id: 'c2',
              network: input.network,
              handle: input.handle,
              audienceSize: 0,
              status: 'ACTIVE',
              statusReason: null,
              createdAt: '2026-01-01T00:00:00Z',
            },
          },
        },
      }));
    renderSignedIn(<ChannelsPage />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Connect your first channel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect a channel' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Network'), 'WEBHOOK');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'my-blog');
    await userEvent.type(within(dialog).getByLabelText('Webhook URL'), 'https://blog.example.com/hooks/sharepool');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect Webhook' }));

    const secret = await screen.findByRole('dialog', { name: 'Your webhook signing secret' });
    expect(within(secret).getByText('whsec_abc123')).toBeInTheDocument();
    expect(api.calls('ConnectChannel')[0].variables.input).toEqual({
      network: 'WEBHOOK',
      handle: 'my-blog',
      webhookUrl: 'https://blog.example.com/hooks/sharepool',
    });
    await userEvent.click(within(secret).getByRole('button', { name: 'I have saved it' }));
    await waitFor(() => expect(screen.queryByText('whsec_abc123')).not.toBeInTheDocument());
    expect(screen.getByRole('list', { name: 'Your channels' })).toHaveTextContent('my-blog');
  });

  it('disconnects only after confirmation', async () => {
    const active = { ...needsReauth, status: 'ACTIVE', statusReason: null };
    const api = createFakeApi()
      .on('MyChannels', { data: { viewer: { channels: [active] } } })
      .on('DisconnectChannel', { data: { disconnectChannel: { ...active, status: 'DISCONNECTED' } } });
    renderSignedIn(<ChannelsPage />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Disconnect ada.bsky.social' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(api.calls('DisconnectChannel')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Disconnect ada.bsky.social' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Disconnect' }));
    expect(await screen.findByRole('heading', { name: 'No channels yet' })).toBeInTheDocument();
    expect(api.calls('DisconnectChannel')[0].variables).toEqual({ id: 'c1' });
  });
});
