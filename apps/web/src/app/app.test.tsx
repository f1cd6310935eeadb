import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, createFakeApi, giveSessionCookie, gqlError, type FakeReply } from '../testing/fake-api';
import { renderPage, viewerFixture } from '../testing/render-app';
import { App } from './app';

describe('app', () => {
  it('sends a signed-out visitor to the login page, remembering where they were going', async () => {
    window.history.replaceState(null, '', '/wallet');
    render(<App client={createFakeApi().client} />);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fwallet');
  });

  it('restores the session from its cookie and shows the nav for the member', async () => {
    window.history.replaceState(null, '', '/profile');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', { data: { accessToken: 'a', expiresIn: 900 } })
      .on('SessionViewer', { data: { viewer: viewerFixture() } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } });
    render(<App client={api.client} />);
    expect(await screen.findByRole('heading', { name: 'Profile' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toHaveTextContent('Feed');
    expect(nav).not.toHaveTextContent('Moderation');
    expect(screen.getByRole('link', { name: 'Balance: 120 credits' })).toBeInTheDocument();
  });

  it('says a suspended account cannot sign back in when its session is refused', async () => {
    window.history.replaceState(null, '', '/feed');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', gqlError('FORBIDDEN', 'This account is suspended.'))
      .on('SessionViewer', gqlError('UNAUTHENTICATED', 'Authentication required'));
    render(<App client={api.client} />);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByText(/Your account is suspended/)).toBeInTheDocument();
  });

  it('logs out: ends the session on the server with its CSRF token and returns to the login page', async () => {
    window.history.replaceState(null, '', '/profile');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', { data: { accessToken: 'a', expiresIn: 900 } })
      .on('SessionViewer', { data: { viewer: viewerFixture({ role: 'MODERATOR' }) } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } })
      .on('SessionLogout', () => {
        clearSessionCookie(); // what the server's answer does
        return { data: { logout: true } };
      });
    render(<App client={api.client} />);
    expect(await screen.findByRole('link', { name: /Moderation/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    // Leaving on purpose: the login page does not send the next member back to this one's page.
    expect(window.location.pathname + window.location.search).toBe('/login');
    expect(api.calls('SessionLogout')).toHaveLength(1);
    expect(api.calls('SessionLogout')[0].headers['x-csrf-token']).toBe('csrf-0');
    expect(api.calls('SessionRefresh')[0].headers['x-csrf-token']).toBe('csrf-0');
  });

  it('keeps no token where a script could read it', async () => {
    window.history.replaceState(null, '', '/profile');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', { data: { accessToken: 'secret-access', expiresIn: 900 } })
      .on('SessionViewer', { data: { viewer: viewerFixture() } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } });
    render(<App client={api.client} />);
    expect(await screen.findByRole('heading', { name: 'Profile' })).toBeInTheDocument();
    expect(JSON.stringify({ ...localStorage })).not.toContain('secret-access');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('secret-access');
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).not.toContain('secret-access');
  });

  it('moves focus to the heading of the page a nav link opens', async () => {
    window.history.replaceState(null, '', '/profile');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', { data: { accessToken: 'a', expiresIn: 900 } })
      .on('SessionViewer', { data: { viewer: viewerFixture() } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } })
      .on('MyApiKeys', { data: { viewer: { apiKeys: [] } } });
    render(<App client={api.client} />);
    expect(await screen.findByRole('heading', { name: 'Profile' })).not.toHaveFocus();
    await userEvent.click(screen.getByRole('link', { name: 'API keys' }));
    expect(await screen.findByRole('heading', { name: 'API keys', level: 1 })).toHaveFocus();
    expect(document.title).toBe('API keys · Sharepool');
  });

  it('closes the phone menu when a page is chosen from it', async () => {
    window.history.replaceState(null, '', '/profile');
    giveSessionCookie();
    const api = createFakeApi()
      .on('SessionRefresh', { data: { accessToken: 'a', expiresIn: 900 } })
      .on('SessionViewer', { data: { viewer: viewerFixture() } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } })
      .on('MyApiKeys', { data: { viewer: { apiKeys: [] } } });
    render(<App client={api.client} />);
    await screen.findByRole('heading', { name: 'Profile' });
    const menu = screen.getByRole('button', { name: 'Menu' });
    await userEvent.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(screen.getByRole('link', { name: 'API keys' }));
    expect(await screen.findByRole('heading', { name: 'API keys', level: 1 })).toBeInTheDocument();
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows nothing of a member who logged out to the next one signing in on the same page', async () => {
    const adaShare = {
      id: 's1',
      status: 'POSTED',
      message: 'Worth a read',
      scheduledFor: '2026-01-01T09:00:00Z',
      postedAt: '2026-01-01T09:00:05Z',
      externalUrl: null,
      failureReason: null,
      creditsEarned: 5,
      createdAt: '2026-01-01T09:00:00Z',
      post: {
        id: 'p1',
        title: 'Ada’s pick',
        url: 'https://example.com/a',
        imageUrl: null,
        creditsPerShare: 5,
        author: { id: 'm3', handle: 'linus', displayName: 'Linus' },
      },
      channel: { id: 'c1', network: 'MASTODON', handle: '@ada@mastodon.social' },
    };
    const shares = (nodes: unknown[]) => ({ data: { viewer: { shares: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } });
    let graceAsked = false;
    const api = createFakeApi()
      .on('MyShares', (_variables, request) =>
        request.headers.authorization === 'Bearer grace-access'
          ? ((graceAsked = true), new Promise<FakeReply>(() => undefined)) // Grace's answer never comes: only the cache could show rows
          : shares([adaShare]),
      )
      .on('ShareFeed', { data: { shareFeed: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } })
      .on('ShareChannels', { data: { viewer: { channels: [] } } })
      .on('SessionLogout', () => {
        clearSessionCookie();
        return { data: { logout: true } };
      })
      .on('Login', {
        data: {
          login: {
            accessToken: 'grace-access',
            expiresIn: 900,
            viewer: viewerFixture({ id: 'm2', handle: 'grace', displayName: 'Grace Hopper' }),
          },
        },
      });
    renderPage('/shares', api);
    await screen.findByText('Ada’s pick');
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await userEvent.type(await screen.findByLabelText('Email'), 'grace@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'compiler pioneer');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByRole('heading', { name: 'Feed', level: 1 });
    await userEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'My shares' }));
    expect(await screen.findByText('Loading your shares…')).toBeInTheDocument();
    expect(graceAsked).toBe(true);
    expect(screen.queryByText('Ada’s pick')).not.toBeInTheDocument();
  });
});
