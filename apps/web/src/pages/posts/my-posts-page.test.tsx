import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderPage } from '../../testing/render-app';

const base = {
  url: 'https://example.com/a',
  summary: 'A summary',
  imageUrl: 'https://example.com/a.png',
  creditsPerShare: 5,
  budgetRemaining: 35,
  rejectionReason: null,
  shareCount: 3,
  sharingPaused: false,
  previewStatus: 'DONE',
  previewError: null,
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
    renderPage('/posts', api());
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
    renderPage('/posts', fake);
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

  describe('the page preview', () => {
    const unreadable = {
      ...base,
      id: 'p3',
      url: 'https://example.com/b',
      title: 'example.com/b',
      summary: null,
      imageUrl: null,
      status: 'PENDING_REVIEW',
      shareCount: 0,
      previewStatus: 'FAILED',
      previewError: 'The page could not be loaded (the site answered with status 404)',
    };

    it('says the preview could not be fetched, and saves the title and summary the author writes instead', async () => {
      const fake = createFakeApi()
        .on('SubmitNiches', { data: { niches: [{ id: 'n1', name: 'Growth' }] } })
        .on('MyPosts', posts([unreadable]))
        .on('EditPost', ({ input }) => ({ data: { editPost: { ...unreadable, title: input.title, summary: input.summary } } }));
      renderPage('/posts', fake);
      const card = await screen.findByRole('article');
      expect(card).toHaveTextContent(
        'The page preview could not be fetched: The page could not be loaded (the site answered with status 404). You can write its title and summary yourself.',
      );
      expect(card).not.toHaveTextContent('Fetching the page preview');

      await userEvent.click(within(card).getByRole('button', { name: 'Edit title and summary' }));
      const dialog = await screen.findByRole('dialog', { name: 'Edit title and summary' });
      const title = within(dialog).getByRole('textbox', { name: 'Title' });
      // The address stands in for a title until there is one: the author starts from an empty field.
      expect(title).toHaveValue('');
      expect(title).toHaveFocus();
      await userEvent.type(title, '  How we grew  ');
      await userEvent.type(within(dialog).getByRole('textbox', { name: 'Summary' }), 'Three lessons');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

      expect(await screen.findByText('Title and summary saved')).toBeInTheDocument();
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(fake.calls('EditPost')[0].variables).toEqual({ input: { id: 'p3', title: 'How we grew', summary: 'Three lessons' } });
      expect(within(screen.getByRole('list', { name: 'Your posts' })).getByRole('heading', { level: 2 })).toHaveTextContent('How we grew');
      expect(screen.getByRole('article')).toHaveTextContent('Three lessons');
    });

    it("shows the server's refusal in the dialog and keeps what was typed", async () => {
      const fake = createFakeApi()
        .on('SubmitNiches', { data: { niches: [{ id: 'n1', name: 'Growth' }] } })
        .on('MyPosts', posts([unreadable]))
        .on('EditPost', gqlError('CONFLICT', 'This post is approved: only a post waiting for review can be edited'));
      renderPage('/posts', fake);
      await userEvent.click(await screen.findByRole('button', { name: 'Edit title and summary' }));
      const dialog = await screen.findByRole('dialog', { name: 'Edit title and summary' });
      await userEvent.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'Too late');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent('only a post waiting for review can be edited');
      expect(within(dialog).getByRole('textbox', { name: 'Title' })).toHaveValue('Too late');
    });

    it('says it is fetching the preview while it may still come, and offers no edit for an approved post', async () => {
      const fetching = { ...unreadable, id: 'p4', previewStatus: 'PENDING', previewError: null, createdAt: new Date().toISOString() };
      const failedApproved = { ...unreadable, id: 'p5', status: 'APPROVED' };
      renderPage(
        '/posts',
        createFakeApi()
          .on('SubmitNiches', { data: { niches: [{ id: 'n1', name: 'Growth' }] } })
          .on('MyPosts', posts([fetching, failedApproved])),
      );
      const [first, second] = within(await screen.findByRole('list', { name: 'Your posts' })).getAllByRole('article');
      expect(first).toHaveTextContent('Fetching the page preview…');
      expect(within(first).getByRole('button', { name: /^Edit/ })).toBeInTheDocument();
      expect(second).toHaveTextContent('The page preview could not be fetched');
      expect(second).not.toHaveTextContent('Fetching the page preview');
      expect(within(second).queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    });

    it('stops saying it is fetching a preview that is long overdue, and offers the edit instead', async () => {
      const overdue = { ...unreadable, previewStatus: 'PENDING', previewError: null, createdAt: '2026-01-01T00:00:00Z' };
      renderPage(
        '/posts',
        createFakeApi()
          .on('SubmitNiches', { data: { niches: [{ id: 'n1', name: 'Growth' }] } })
          .on('MyPosts', posts([overdue])),
      );
      const card = await screen.findByRole('article');
      expect(card).toHaveTextContent('The page preview has not arrived yet. You can write its title and summary yourself.');
      expect(card).not.toHaveTextContent('Fetching the page preview');
      expect(within(card).getByRole('button', { name: 'Edit title and summary' })).toBeInTheDocument();
    });
  });
});
