import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import MyPostsPage from './my-posts-page';

const base = {
  url: 'https://example.com/a',
  summary: 'A summary',
  imageUrl: 'https://example.com/a.png',
  creditsPerShare: 5,
  budgetRemaining: 35,
  rejectionReason: null,
  shareCount: 3,
  sharingPaused: false,
  createdAt: '2026-01-01T00:00:00Z',
  niche: { id: 'n1', name: 'Growth' },
};
const approved = { ...base, id: 'p1', title: 'Approved post', status: 'APPROVED' };
const rejected = {
  ...base,
  id: 'p2',
  title: 'Rejected post',
  status: 'REJECTED',
  rejectionReason: 'The link is broken',
  shareCount: 0,
  budgetRemaining: 0,
};
const posts = (nodes: unknown[]) => ({ data: { viewer: { posts: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } });

function api() {
  return createFakeApi()
    .on('SubmitNiches', { data: { niches: [{ id: 'n1', name: 'Growth' }] } })
    .on('MyPosts', posts([approved, rejected]))
    .on('WithdrawPost', { data: { withdrawPost: { ...approved, status: 'WITHDRAWN', budgetRemaining: 0 } } });
}

describe('my posts', () => {
  it('shows status, budget left, shares and the rejection reason', async () => {
    renderSignedIn(<MyPostsPage />, api());
    const list = await screen.findByRole('list', { name: 'Your posts' });
    const [first, second] = within(list).getAllByRole('article');
    expect(first).toHaveTextContent('Approved');
    expect(first).toHaveTextContent('Budget left35 credits');
    expect(first).toHaveTextContent('See who shared it (3 shares)');
    expect(second).toHaveTextContent('Why it was rejected: The link is broken');
    expect(within(second).queryByRole('button', { name: /Withdraw/ })).not.toBeInTheDocument();
  });

  it('withdraws after confirmation and says the budget comes back', async () => {
    const fake = api();
    renderSignedIn(<MyPostsPage />, fake);
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw “Approved post”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Withdraw this post?' });
    expect(dialog).toHaveTextContent('The 35 credits left in its budget return to your balance');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Withdraw post' }));
    expect(await screen.findByText('Withdrawn — 35 credits back in your wallet')).toBeInTheDocument();
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Your posts' })).getAllByRole('article')[0]).toHaveTextContent('Withdrawn'),
    );
    expect(fake.calls('WithdrawPost')[0].variables).toEqual({ id: 'p1' });
  });
});
