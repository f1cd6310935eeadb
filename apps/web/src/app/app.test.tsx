import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi, gqlError } from '../testing/fake-api';
import { viewerFixture } from '../testing/render-app';
import { App } from './app';

describe('app', () => {
  it('sends a signed-out visitor to the login page, remembering where they were going', async () => {
    window.history.replaceState(null, '', '/wallet');
    render(<App client={createFakeApi().client} />);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fwallet');
  });

  it('restores the session from the refresh token and shows the nav for the member', async () => {
    window.history.replaceState(null, '', '/profile');
    localStorage.setItem('sharepool.refreshToken', 'refresh-0');
    const api = createFakeApi()
      .on('RefreshToken', { data: { refreshToken: { accessToken: 'a', refreshToken: 'refresh-1', expiresIn: 900 } } })
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

  it('says a suspended account cannot sign back in when its refresh token is refused', async () => {
    window.history.replaceState(null, '', '/feed');
    localStorage.setItem('sharepool.refreshToken', 'refresh-0');
    const api = createFakeApi()
      .on('RefreshToken', gqlError('FORBIDDEN', 'This account is suspended.'))
      .on('SessionViewer', gqlError('UNAUTHENTICATED', 'Authentication required'));
    render(<App client={api.client} />);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByText(/Your account is suspended/)).toBeInTheDocument();
  });

  it('logs out: revokes the refresh token and returns to the login page', async () => {
    window.history.replaceState(null, '', '/profile');
    localStorage.setItem('sharepool.refreshToken', 'refresh-0');
    const api = createFakeApi()
      .on('RefreshToken', { data: { refreshToken: { accessToken: 'a', refreshToken: 'refresh-1', expiresIn: 900 } } })
      .on('SessionViewer', { data: { viewer: viewerFixture({ role: 'MODERATOR' }) } })
      .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
      .on('AllNiches', { data: { niches: [] } })
      .on('Logout', { data: { logout: true } });
    render(<App client={api.client} />);
    expect(await screen.findByRole('link', { name: /Moderation/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(api.calls('Logout')[0].variables).toEqual({ refreshToken: 'refresh-1' });
    expect(localStorage.getItem('sharepool.refreshToken')).toBeNull();
  });

  it('moves focus to the heading of the page a nav link opens', async () => {
    window.history.replaceState(null, '', '/profile');
    localStorage.setItem('sharepool.refreshToken', 'refresh-0');
    const api = createFakeApi()
      .on('RefreshToken', { data: { refreshToken: { accessToken: 'a', refreshToken: 'refresh-1', expiresIn: 900 } } })
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
});
