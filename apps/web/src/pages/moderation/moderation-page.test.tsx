import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderPage, viewerFixture } from '../../testing/render-app';

const queued = {
  id: 'p9',
  url: 'https://example.com/paywalled',
  title: 'Paywalled piece',
  summary: 'Members only',
  imageUrl: null,
  suggestedMessage: 'Read this',
  creditsPerShare: 3,
  budgetRemaining: 30,
  createdAt: '2026-01-01T00:00:00Z',
  niche: { id: 'n1', name: 'Growth' },
  author: { id: 'm3', handle: 'linus', displayName: 'Linus', createdAt: '2025-06-01T00:00:00Z' },
};
const queue = { data: { moderationQueue: { totalCount: 1, nodes: [queued], pageInfo: { hasNextPage: false, endCursor: null } } } };
const moderator = viewerFixture({ role: 'MODERATOR' });

describe('moderation', () => {
  it('is closed to members', async () => {
    renderPage('/moderation', createFakeApi());
    expect(await screen.findByRole('heading', { name: 'For moderators only' })).toBeInTheDocument();
  });

  it('rejects only with a reason the author can act on, then takes the post off the queue', async () => {
    const api = createFakeApi()
      .on('ModerationQueue', queue)
      .on('ModeratePost', ({ input }) => ({
        data: { moderatePost: { id: input.postId, status: 'REJECTED', rejectionReason: input.reason } },
      }));
    renderPage('/moderation', api, moderator);
    await userEvent.click(await screen.findByRole('button', { name: 'Reject “Paywalled piece”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject “Paywalled piece”' });
    const reason = within(dialog).getByLabelText('Reason');
    expect(reason).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject post' }));
    expect(reason).toHaveAccessibleDescription('Tell the author why, in a sentence they can act on');
    expect(api.calls('ModeratePost')).toHaveLength(0);

    await userEvent.type(reason, 'The page is behind a paywall');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject post' }));
    expect(await screen.findByRole('heading', { name: 'The queue is empty' })).toBeInTheDocument();
    expect(api.calls('ModeratePost')[0].variables.input).toEqual({
      postId: 'p9',
      action: 'REJECT',
      reason: 'The page is behind a paywall',
    });
  });

  it('keeps the post in the queue and says why when approving fails', async () => {
    const api = createFakeApi()
      .on('ModerationQueue', queue)
      .on('ModeratePost', gqlError('CONFLICT', 'The post was withdrawn by its author'));
    renderPage('/moderation', api, moderator);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve “Paywalled piece”' }));
    expect(await screen.findByText('The post was withdrawn by its author')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Approve “Paywalled piece”' })).toBeEnabled());
  });
});
