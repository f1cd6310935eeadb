import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApi, gqlError } from '../../testing/fake-api';
import { renderSignedIn } from '../../testing/render-app';
import { SubmitPostForm } from './submit-post-form';

const NICHES = {
  data: {
    niches: [
      { id: 'n1', name: 'Growth' },
      { id: 'n2', name: 'Design' },
    ],
  },
};

async function submit(values: { url?: string; perShare?: string; budget?: string }) {
  const user = userEvent.setup();
  if (values.url !== undefined) await user.type(await screen.findByLabelText('Page address'), values.url);
  if (values.perShare !== undefined) {
    await user.clear(screen.getByLabelText('Credits per share'));
    if (values.perShare) await user.type(screen.getByLabelText('Credits per share'), values.perShare);
  }
  if (values.budget !== undefined) {
    await user.clear(screen.getByLabelText('Budget'));
    if (values.budget) await user.type(screen.getByLabelText('Budget'), values.budget);
  }
  await user.click(screen.getByRole('button', { name: 'Submit for review' }));
}

describe('submit-post form', () => {
  it('rejects an address that is not a web page and a budget below one share, before sending', async () => {
    const api = createFakeApi().on('SubmitNiches', NICHES);
    renderSignedIn(<SubmitPostForm onSubmitted={() => undefined} />, api);
    await submit({ url: 'example.com/post', perShare: '10', budget: '5' });
    expect(screen.getByLabelText('Page address')).toHaveAccessibleDescription(expect.stringContaining('starting with https://'));
    expect(screen.getByLabelText('Budget')).toHaveAccessibleDescription(expect.stringContaining('at least one share (10 credits)'));
    expect(screen.getByLabelText('Page address')).toHaveFocus();
    expect(api.calls('SubmitPost')).toHaveLength(0);
  });

  it('asks for whole credits per share', async () => {
    const api = createFakeApi().on('SubmitNiches', NICHES);
    renderSignedIn(<SubmitPostForm onSubmitted={() => undefined} />, api);
    await submit({ url: 'https://example.com/a', perShare: '0' });
    expect(screen.getByLabelText('Credits per share')).toHaveAccessibleDescription('Offer a whole number of credits, at least 1');
  });

  it('shows missing credits under the budget, in numbers', async () => {
    const api = createFakeApi()
      .on('SubmitNiches', NICHES)
      .on(
        'SubmitPost',
        gqlError('INSUFFICIENT_CREDITS', 'Not enough credits: 120 available, 200 needed', { available: 120, requested: 200 }),
      );
    renderSignedIn(<SubmitPostForm onSubmitted={() => undefined} />, api);
    await submit({ url: 'https://example.com/a', perShare: '10', budget: '200' });
    const budget = screen.getByLabelText('Budget');
    await waitFor(() => expect(budget).toHaveAttribute('aria-invalid', 'true'));
    expect(budget).toHaveAccessibleDescription(expect.stringContaining("You don't have enough credits: 120 available, 200 needed"));
    expect(budget).toHaveFocus();
  });

  it('sends numbers and the chosen niche, then hands back the new post', async () => {
    const post = { id: 'p1', url: 'https://example.com/a', title: 'https://example.com/a', summary: null, imageUrl: null };
    const api = createFakeApi()
      .on('SubmitNiches', NICHES)
      .on('SubmitPost', {
        data: {
          submitPost: {
            ...post,
            creditsPerShare: 4,
            budgetRemaining: 40,
            status: 'PENDING_REVIEW',
            rejectionReason: null,
            shareCount: 0,
            sharingPaused: false,
            createdAt: new Date().toISOString(),
            niche: { id: 'n2', name: 'Design' },
          },
        },
      });
    const onSubmitted = vi.fn();
    renderSignedIn(<SubmitPostForm onSubmitted={onSubmitted} />, api);
    await screen.findByRole('option', { name: 'Design' });
    await userEvent.selectOptions(screen.getByLabelText('Niche'), 'Design');
    await submit({ url: 'https://example.com/a', perShare: '4', budget: '40' });
    await waitFor(() => expect(onSubmitted).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' })));
    expect(api.calls('SubmitPost')[0].variables.input).toEqual({
      url: 'https://example.com/a',
      nicheId: 'n2',
      creditsPerShare: 4,
      budget: 40,
    });
    expect(await screen.findByText(/Submitted — a moderator will review it/)).toBeInTheDocument();
  });
});
