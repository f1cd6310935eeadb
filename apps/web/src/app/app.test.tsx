import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, createFakeApi, giveSessionCookie, gqlError } from '../testing/fake-api';
import { viewerFixture } from '../testing/render-app';
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
});
