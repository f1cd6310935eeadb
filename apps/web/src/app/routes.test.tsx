import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../testing/fake-api';
import { renderPage, viewerFixture } from '../testing/render-app';
import { App } from './app';
import { localPath, parseSearch, stringifySearch } from './route-search';

const emptyPage = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };

/** The fake API answers the feed and My shares, empty. */
function pagesApi() {
  return createFakeApi()
    .on('ShareFeed', { data: { shareFeed: emptyPage } })
    .on('ShareChannels', { data: { viewer: { channels: [] } } })
    .on('MyShares', { data: { viewer: { shares: emptyPage } } })
    .on('ProfileBio', { data: { viewer: { member: { id: 'm1', bio: null } } } })
    .on('AllNiches', { data: { niches: [] } });
}

function mainNav() {
  return within(screen.getByRole('navigation', { name: 'Main' }));
}

describe('routes', () => {
  it('sends the root to the feed without adding a history entry', async () => {
    const before = window.history.length;
    renderPage('/', pagesApi());
    expect(await screen.findByRole('heading', { name: 'Feed', level: 1 })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/feed');
    expect(window.history.length).toBe(before);
  });

  it('navigates in place on a click, adds a history entry, and marks the page in the menu', async () => {
    renderPage('/feed', pagesApi());
    await screen.findByRole('heading', { name: 'Feed', level: 1 });
    const before = window.history.length;
    await userEvent.click(mainNav().getByRole('link', { name: 'My shares' }));
    expect(await screen.findByRole('heading', { name: 'My shares', level: 1 })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/shares');
    expect(window.history.length).toBe(before + 1);
    expect(mainNav().getByRole('link', { name: 'My shares' })).toHaveAttribute('aria-current', 'page');
    expect(mainNav().getByRole('link', { name: 'Feed' })).not.toHaveAttribute('aria-current');
  });

  it('marks My posts in the menu on a post’s analytics too', async () => {
    renderPage('/posts/UG9zdDox', pagesApi().on('PostAnalytics', { data: { node: null } }));
    expect(await screen.findByText('No such post')).toBeInTheDocument();
    expect(mainNav().getByRole('link', { name: 'My posts' })).toHaveAttribute('aria-current', 'page');
  });

  it('leaves a modified click (open in a new tab) to the browser', async () => {
    renderPage('/feed', pagesApi());
    await screen.findByRole('heading', { name: 'Feed', level: 1 });
    let leftToBrowser: boolean | undefined;
    const record = (event: MouseEvent) => {
      leftToBrowser = !event.defaultPrevented;
      event.preventDefault(); // jsdom cannot open the tab
    };
    document.addEventListener('click', record);
    fireEvent.click(mainNav().getByRole('link', { name: 'My shares' }), { ctrlKey: true });
    document.removeEventListener('click', record);
    expect(leftToBrowser).toBe(true);
    expect(window.location.pathname).toBe('/feed');
  });

  it('follows the back button', async () => {
    renderPage('/feed', pagesApi());
    await screen.findByRole('heading', { name: 'Feed', level: 1 });
    await userEvent.click(mainNav().getByRole('link', { name: 'My shares' }));
    await screen.findByRole('heading', { name: 'My shares', level: 1 });
    act(() => window.history.back());
    expect(await screen.findByRole('heading', { name: 'Feed', level: 1 })).toBeInTheDocument();
  });

  it('shows the not-found page, in the app’s frame, for an unknown address', async () => {
    renderPage('/nowhere', pagesApi());
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });

  it('keeps a page’s filter in the address, plainly written, and ignores one it does not know', async () => {
    const api = pagesApi();
    renderPage('/shares?status=BOGUS', api);
    expect(await screen.findByRole('button', { name: 'All', pressed: true })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Posted' }));
    expect(window.location.search).toBe('?status=POSTED');
    expect(await screen.findByRole('button', { name: 'Posted', pressed: true })).toBeInTheDocument();
    expect(api.calls('MyShares').at(-1)?.variables).toMatchObject({ status: 'POSTED' });
  });

  it('goes back after logging in to the page the visitor was sent away from', async () => {
    window.history.replaceState(null, '', '/shares?status=POSTED');
    const api = pagesApi().on('Login', { data: { login: { accessToken: 'a1', expiresIn: 900, viewer: viewerFixture() } } });
    render(<App client={api.client} />);
    await screen.findByRole('heading', { name: 'Log in' });
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Fshares%3Fstatus%3DPOSTED');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'My shares', level: 1 })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/shares?status=POSTED');
  });

  it('follows only a path of this site after logging in', () => {
    expect(localPath('/wallet')).toBe('/wallet');
    expect(localPath('//evil.example/x')).toBeUndefined();
    expect(localPath('/\\evil.example')).toBeUndefined();
    expect(localPath('https://evil.example')).toBeUndefined();
  });

  it('reads and writes query strings as the server writes them', () => {
    expect(parseSearch('?connected=Q2hhbm5lbDox&error=You%20said%20no')).toEqual({ connected: 'Q2hhbm5lbDox', error: 'You said no' });
    expect(stringifySearch({ status: 'POSTED', niche: undefined, q: '123' })).toBe('?status=POSTED&q=123');
    expect(stringifySearch({})).toBe('');
  });
});
