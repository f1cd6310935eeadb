import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderPage, viewerFixture } from '../../testing/render-app';

const emptyFeed = { data: { shareFeed: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } };
const channels = {
  data: { viewer: { channels: [{ id: 'c1', network: 'MASTODON', handle: '@ada@mastodon.social', audienceSize: 10, status: 'ACTIVE' }] } },
};

const post = {
  id: 'p1',
  url: 'https://example.com/loops',
  title: 'Growth loops',
  summary: 'Why loops beat funnels',
  imageUrl: 'https://example.com/loops.png',
  suggestedMessage: 'Worth a read',
  creditsPerShare: 5,
  budgetRemaining: 50,
  viewerHasShared: false,
  sharingPaused: false,
  createdAt: '2026-01-01T00:00:00Z',
  niche: { id: 'n1', name: 'Growth' },
  author: { id: 'm2', handle: 'grace', displayName: 'Grace Hopper' },
};

describe('feed', () => {
  it('invites a member without niches to join one, and joining updates the feed filter', async () => {
    const api = createFakeApi()
      .on('ShareFeed', emptyFeed)
      .on('ShareChannels', channels)
      .on('AllNiches', { data: { niches: [{ id: 'n1', slug: 'growth', name: 'Growth' }] } })
      .on('JoinNiche', { data: { joinNiche: { member: { id: 'm1', niches: [{ id: 'n1', slug: 'growth', name: 'Growth' }] } } } });
    renderPage('/feed', api, viewerFixture({ niches: [] }));
    expect(await screen.findByRole('heading', { name: 'No posts to share yet — join a niche' })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: 'Growth', pressed: false }));
    expect(await screen.findByRole('button', { name: 'All my niches' })).toBeInTheDocument();
    expect(api.calls('JoinNiche')[0].variables).toEqual({ nicheId: 'n1' });
  });

  it('shows each post with its preview, credits and author, and opens the share dialog', async () => {
    const api = createFakeApi()
      .on('ShareFeed', { data: { shareFeed: { nodes: [post], pageInfo: { hasNextPage: false, endCursor: null } } } })
      .on('ShareChannels', channels);
    renderPage('/feed', api);
    const list = await screen.findByRole('list', { name: 'Posts to share' });
    const card = within(list).getByRole('article');
    expect(within(card).getByRole('heading', { name: /Growth loops/ })).toBeInTheDocument();
    expect(card.querySelector('img')).toHaveAttribute('src', 'https://example.com/loops.png');
    expect(card).toHaveTextContent('+5 credits per share · by Grace Hopper @grace');
    await userEvent.click(within(card).getByRole('button', { name: 'Share “Growth loops”' }));
    expect(await screen.findByRole('dialog', { name: 'Share “Growth loops”' })).toBeInTheDocument();
  });

  it('filters by niche through the address, so the choice survives a reload', async () => {
    const api = createFakeApi().on('ShareFeed', emptyFeed).on('ShareChannels', channels);
    renderPage(
      '/feed',
      api,
      viewerFixture({
        niches: [
          { id: 'n1', slug: 'growth', name: 'Growth' },
          { id: 'n2', slug: 'design', name: 'Design' },
        ],
      }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Design' }));
    expect(window.location.search).toBe('?niche=n2');
    expect(await screen.findByText(/Nothing new to share in Design/)).toBeInTheDocument();
    expect(api.calls('ShareFeed').at(-1)?.variables).toMatchObject({ nicheId: 'n2' });
  });
});
