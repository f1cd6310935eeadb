import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { leaveApp } from '../../app/leave-app';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderPage } from '../../testing/render-app';

vi.mock('../../app/leave-app', () => ({ leaveApp: vi.fn() }));

const needsReauth = {
  id: 'c1',
  network: 'BLUESKY',
  handle: 'ada.bsky.social',
  audienceSize: 300,
  audienceVerified: true,
  audienceCheckedAt: '2026-01-02T00:00:00Z',
  status: 'NEEDS_REAUTH',
  statusReason: 'Bluesky no longer accepts the app password.',
  createdAt: '2026-01-01T00:00:00Z',
};
const mastodon = {
  ...needsReauth,
  id: 'c-m',
  network: 'MASTODON',
  handle: 'ada',
  audienceSize: 87,
  status: 'ACTIVE',
  statusReason: null,
};

/** The page with `channels`, X and LinkedIn set up or not, and navigation away recorded instead of made. */
function channelsPage(channels: unknown[], oauthNetworks = ['MASTODON', 'X', 'LINKEDIN']) {
  const leave = vi.mocked(leaveApp);
  const api = createFakeApi()
    .on('MyChannels', { data: { viewer: { channels } } })
    .on('ConnectableNetworks', { data: { oauthNetworks } })
    .on('StartChannelConnection', ({ input }) => ({
      data: {
        startChannelConnection: {
          authorizeUrl: `https://${input.network.toLowerCase()}.example/authorize?state=s`,
          expiresAt: '2026-01-01T00:10:00Z',
        },
      },
    }));
  // The address may carry what a network's consent page sent back.
  renderPage(`/channels${window.location.search}`, api);
  return { api, leave };
}

async function openConnect() {
  await userEvent.click(await screen.findByRole('button', { name: /Connect (a|your first) channel/ }));
  return screen.findByRole('dialog', { name: 'Connect a channel' });
}

describe('channels', () => {
  beforeEach(() => vi.mocked(leaveApp).mockClear());

  it('offers one button per network, and says which are not set up on this server', async () => {
    channelsPage([], ['MASTODON']);
    const dialog = await openConnect();
    const buttons = within(within(dialog).getByRole('list', { name: 'Networks' })).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual([
      'Connect Mastodon',
      'Connect X',
      'Connect LinkedIn',
      'Connect Bluesky',
      'Connect a webhook',
    ]);
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Connect X' })).toBeDisabled());
    expect(within(dialog).getByRole('button', { name: 'Connect X' })).toHaveAccessibleDescription('Not set up on this server');
    expect(within(dialog).getByRole('button', { name: 'Connect LinkedIn' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Connect Mastodon' })).toBeEnabled();
  });

  it('asks for the Mastodon server first, then goes to its consent page', async () => {
    const { api, leave } = channelsPage([]);
    const dialog = await openConnect();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect Mastodon' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    expect(within(dialog).getByLabelText('Your Mastodon server')).toHaveAccessibleDescription(/Enter your Mastodon server/);
    expect(api.calls('StartChannelConnection')).toHaveLength(0);

    await userEvent.type(within(dialog).getByLabelText('Your Mastodon server'), 'mastodon.social');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    await waitFor(() => expect(leave).toHaveBeenCalledWith('https://mastodon.example/authorize?state=s'));
    expect(api.calls('StartChannelConnection')[0].variables.input).toEqual({
      network: 'MASTODON',
      instanceUrl: 'mastodon.social',
      returnTo: '/channels',
    });
  });

  it('shows the server’s refusal of an instance on the field, and stays', async () => {
    const { api, leave } = channelsPage([]);
    api.on('StartChannelConnection', gqlError('BAD_USER_INPUT', 'blog.example did not let Sharepool sign in', { field: 'instanceUrl' }));
    const dialog = await openConnect();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect Mastodon' }));
    await userEvent.type(within(dialog).getByLabelText('Your Mastodon server'), 'blog.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    expect(await within(dialog).findByText('blog.example did not let Sharepool sign in')).toBeInTheDocument();
    expect(leave).not.toHaveBeenCalled();
  });

  it('goes straight to X’s consent page', async () => {
    const { api, leave } = channelsPage([]);
    const dialog = await openConnect();
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Connect X' })).toBeEnabled());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect X' }));
    await waitFor(() => expect(leave).toHaveBeenCalledWith('https://x.example/authorize?state=s'));
    expect(api.calls('StartChannelConnection')[0].variables.input).toEqual({ network: 'X', returnTo: '/channels' });
  });

  it('confirms the channel the network sent the member back with, and clears the address', async () => {
    window.history.replaceState(null, '', '/channels?connected=c-m');
    channelsPage([mastodon]);
    const status = (await screen.findByText('Mastodon connected: ada.')).closest('[role="status"]');
    expect(status).toHaveTextContent('87 followers, verified with Mastodon.');
    expect(window.location.search).toBe('');
  });

  it('shows the network’s error in words when the member comes back without a channel', async () => {
    window.history.replaceState(
      null,
      '',
      `/channels?error=${encodeURIComponent('You did not allow Sharepool to use your X account, so nothing was connected.')}`,
    );
    channelsPage([]);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The channel was not connected. You did not allow Sharepool to use your X account, so nothing was connected.',
    );
    await userEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says whether the followers were read from the network or stated', async () => {
    const stated = { ...mastodon, id: 'c-w', network: 'WEBHOOK', handle: 'my-blog', audienceSize: 500, audienceVerified: false };
    channelsPage([mastodon, stated]);
    const list = await screen.findByRole('list', { name: 'Your channels' });
    expect(list).toHaveTextContent('87 followers, verified with Mastodon');
    expect(list).toHaveTextContent('500 followers, as you stated (not verified)');
  });

  it('reconnects an X channel through X’s consent page at once', async () => {
    const { api, leave } = channelsPage([{ ...needsReauth, id: 'c-x', network: 'X', handle: 'ada_x' }]);
    const list = await screen.findByRole('list', { name: 'Your channels' });
    await userEvent.click(within(list).getByRole('button', { name: 'Reconnect ada_x' }));
    await waitFor(() => expect(leave).toHaveBeenCalledWith('https://x.example/authorize?state=s'));
    expect(api.calls('StartChannelConnection')[0].variables.input).toEqual({ network: 'X', returnTo: '/channels' });
  });

  it('shows a channel that needs reconnecting with the reason and a way to reconnect', async () => {
    channelsPage([needsReauth]);
    const list = await screen.findByRole('list', { name: 'Your channels' });
    expect(within(list).getByText('Needs reconnecting')).toBeInTheDocument();
    expect(list).toHaveTextContent('Bluesky no longer accepts the app password.');
    await userEvent.click(within(list).getByRole('button', { name: 'Reconnect ada.bsky.social' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect a channel' });
    expect(within(dialog).getByLabelText('Handle')).toHaveValue('ada.bsky.social');
    expect(within(dialog).getByLabelText('App password')).toBeInTheDocument();
  });

  it('shows the webhook signing secret once after connecting', async () => {
    const { api } = channelsPage([]);
    api.on('ConnectChannel', ({ input }) => ({
      data: {
        connectChannel: {
          signingSecret: 'whsec_abc123',
          channel: {
            id: 'c2',
            network: input.network,
            handle: input.handle,
            audienceSize: 0,
            audienceVerified: false,
            audienceCheckedAt: null,
            status: 'ACTIVE',
            statusReason: null,
            createdAt: '2026-01-01T00:00:00Z',
          },
        },
      },
    }));
    const dialog = await openConnect();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect a webhook' }));
    await userEvent.type(within(dialog).getByLabelText('Name'), 'my-blog');
    await userEvent.type(within(dialog).getByLabelText('Webhook URL'), 'https://blog.example.com/hooks/sharepool');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect the webhook' }));

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
    const { api } = channelsPage([active]);
    api.on('DisconnectChannel', { data: { disconnectChannel: { ...active, status: 'DISCONNECTED' } } });
    await userEvent.click(await screen.findByRole('button', { name: 'Disconnect ada.bsky.social' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(api.calls('DisconnectChannel')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Disconnect ada.bsky.social' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Disconnect' }));
    expect(await screen.findByRole('heading', { name: 'No channels yet' })).toBeInTheDocument();
    expect(api.calls('DisconnectChannel')[0].variables).toEqual({ id: 'c1' });
  });
});
