import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderPage } from '../../testing/render-app';
import { LIVE_POLL_MS, sharePollInterval } from './my-shares-page';

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

/**
 * Checks until `check` passes, moving the faked poll clock by `advanceMs` between tries. The poll
 * timer is set in an effect after the list renders, so a single jump can come before it exists.
 * setTimeout stays real: it gives the fake API's answers time to render between tries (waitFor
 * would wait on its faked setInterval, or on DOM changes that a session reload does not make).
 */
async function eventually(check: () => void, advanceMs = 0, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await act(async () => {
      vi.advanceTimersByTime(advanceMs);
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }
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
    renderPage('/shares', api);

    const list = await screen.findByRole('list', { name: 'Your shares' });
    expect(within(list).getByText('Posting…')).toBeInTheDocument();
    expect(screen.getByText('Updating live')).toBeInTheDocument();

    await eventually(() => expect(within(list).getByText('Posted')).toBeInTheDocument(), LIVE_POLL_MS);
    expect(screen.getByText('+5 credits')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('“Growth loops” on Mastodon: Posted')).toBeInTheDocument());
    expect(screen.queryByText('Updating live')).not.toBeInTheDocument();

    await act(async () => {
      vi.advanceTimersByTime(10_000);
    });
    expect(api.calls('MyShares')).toHaveLength(2);
  });

  it('reads the balance again on opening and when a share it shows turns posted, not for shares posted before', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const earlier = share('POSTED', { id: 's0', postedAt: '2026-01-01T08:00:00Z', creditsEarned: 5 });
    const posted = share('POSTED', { postedAt: '2026-01-01T09:00:05Z', creditsEarned: 5 });
    const answers = [page(share('POSTING'), earlier), page(posted, earlier)];
    const api = createFakeApi().on('MyShares', () => answers.shift() ?? page(posted, earlier));
    renderPage('/shares', api);

    const list = await screen.findByRole('list', { name: 'Your shares' });
    await eventually(() => expect(api.calls('SessionViewer')).toHaveLength(2));
    await eventually(() => expect(within(list).getAllByText('Posted')).toHaveLength(2), LIVE_POLL_MS);
    await eventually(() => expect(api.calls('SessionViewer')).toHaveLength(3));
    await act(async () => {
      vi.advanceTimersByTime(10_000);
    });
    expect(api.calls('SessionViewer')).toHaveLength(3);
  });

  it('explains a failure and that the author paid nothing', async () => {
    const api = createFakeApi().on('MyShares', page(share('FAILED', { failureReason: 'Mastodon rejected the access token' })));
    renderPage('/shares', api);
    expect(await screen.findByText(/Mastodon rejected the access token/)).toHaveTextContent('The author was not charged.');
  });
});
