import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import MySharesPage, { sharePollInterval } from './my-shares-page';

function share(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: 's1',
    status,
    message: 'Worth a read',
    scheduledFor: '2026-01-01T09:00:00Z',
    postedAt: null,
    externalUrl: null,
    failureReason: null,
    creditsEarned: 0,
    createdAt: '2026-01-01T09:00:00Z',
    post: {
      id: 'p1',
      title: 'Growth loops',
      url: 'https://example.com/a',
      imageUrl: null,
      creditsPerShare: 5,
      author: { id: 'm2', handle: 'grace', displayName: 'Grace Hopper' },
    },
    channel: { id: 'c1', network: 'MASTODON', handle: '@ada@mastodon.social' },
    ...extra,
  };
}

const page = (...nodes: unknown[]) => ({ data: { viewer: { shares: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } });

afterEach(() => {
  vi.useRealTimers();
});

describe('my shares', () => {
  it('polls only while a share is scheduled or posting', () => {
    expect(sharePollInterval([{ status: 'POSTED' }, { status: 'POSTING' }])).toBe(2_000);
    expect(sharePollInterval([{ status: 'SCHEDULED' }])).toBe(2_000);
    expect(sharePollInterval([{ status: 'POSTED' }, { status: 'FAILED' }, { status: 'CANCELLED' }])).toBeUndefined();
  });

  it('updates a share live while it posts, announces the change, then stops asking', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const answers = [
      page(share('POSTING')),
      page(share('POSTED', { postedAt: '2026-01-01T09:00:05Z', externalUrl: 'https://mastodon.social/@ada/1', creditsEarned: 5 })),
    ];
    const api = createFakeApi().on('MyShares', () => answers.shift() ?? answers[answers.length - 1] ?? page());
    renderSignedIn(<MySharesPage />, api);

    const list = await screen.findByRole('list', { name: 'Your shares' });
    expect(within(list).getByText('Posting…')).toBeInTheDocument();
    expect(screen.getByText('Updating live')).toBeInTheDocument();

    await act(async () => {
      vi.advanceTimersByTime(2_000);
    });
    expect(await within(list).findByText('Posted')).toBeInTheDocument();
    expect(screen.getByText('+5 credits')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('“Growth loops” on Mastodon: Posted')).toBeInTheDocument());
    expect(screen.queryByText('Updating live')).not.toBeInTheDocument();

    await act(async () => {
      vi.advanceTimersByTime(10_000);
    });
    expect(api.calls('MyShares')).toHaveLength(2);
  });

  it('explains a failure and that the author paid nothing', async () => {
    const api = createFakeApi().on('MyShares', page(share('FAILED', { failureReason: 'Mastodon rejected the access token' })));
    renderSignedIn(<MySharesPage />, api);
    expect(await screen.findByText(/Mastodon rejected the access token/)).toHaveTextContent('The author was not charged.');
  });
});
