import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderPage } from '../../testing/render-app';

const share = (id: string, network: string, sharer: string, clicks: number, audienceSize: number) => ({
  id,
  status: 'POSTED',
  clicks,
  channel: { id: `c-${id}`, network, audienceSize },
  sharer: { id: `m-${sharer}`, handle: sharer, displayName: sharer.toUpperCase() },
});

function render(reply: Parameters<ReturnType<typeof createFakeApi>['on']>[1]) {
  const api = createFakeApi().on('PostAnalytics', reply);
  renderPage('/posts/UG9zdDox', api);
  return api;
}

describe('post analytics', () => {
  it('shows clicks, reach, cost per click, shares by network and the top sharers', async () => {
    const api = render({
      data: {
        node: {
          id: 'UG9zdDox',
          title: 'Launch notes',
          url: 'https://blog.example.com/launch',
          status: 'APPROVED',
          creditsPerShare: 10,
          shareCount: 3,
          clicks: 12,
          reach: 900,
          clickHistory: [
            { day: '2026-01-01T00:00:00.000Z', count: 5 },
            { day: '2026-01-02T00:00:00.000Z', count: 7 },
          ],
          shares: {
            totalCount: 3,
            nodes: [share('s1', 'X', 'ann', 2, 100), share('s2', 'MASTODON', 'bob', 9, 500), share('s3', 'X', 'ann', 1, 300)],
          },
        },
      },
    });
    expect(await screen.findByRole('group', { name: 'Clicks' })).toHaveTextContent('12');
    expect(screen.getByRole('group', { name: 'Reach' })).toHaveTextContent('900');
    expect(screen.getByRole('group', { name: 'Cost per click' })).toHaveTextContent('2.530 credits spent');
    expect(api.calls('PostAnalytics')[0]!.variables).toEqual({ id: 'UG9zdDox', days: 30 });

    const networks = screen.getByRole('table', { name: 'Shares by network' });
    expect(
      within(networks)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(['X2', 'MASTODON1']);
    const sharers = within(screen.getByRole('region', { name: 'Top sharers' }))
      .getAllByRole('row')
      .slice(1);
    expect(sharers.map((r) => r.textContent)).toEqual(['BOB @bob15009', 'ANN @ann24003']);
  });

  it('says so when the post is not the viewer’s', async () => {
    render({ data: { node: null } });
    expect(await screen.findByText('No such post')).toBeInTheDocument();
  });

  it('shows a refusal as an error', async () => {
    render(gqlError('FORBIDDEN', "Only the post's author, moderators and admins see its clicks per day"));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });
});
