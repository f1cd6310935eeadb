import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../testing/fake-api';
import { renderPage, viewerFixture } from '../../testing/render-app';

const emptyPage = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };

function walletApi(creditBalance: number) {
  return createFakeApi()
    .on('WalletSummary', {
      data: {
        viewer: {
          creditBalance,
          creditHistory: [{ day: '2026-01-01', balance: creditBalance }],
          returnOnRelationship: [
            {
              weekStart: '2025-12-29',
              sharesGiven: 1,
              sharesReceived: 2,
              creditsEarned: 10,
              creditsSpent: 20,
              reachReceived: 300,
              clicksReceived: 7,
            },
          ],
        },
      },
    })
    .on('Ledger', { data: { viewer: { ledger: emptyPage } } })
    .on('Reciprocity', { data: { viewer: { reciprocity: emptyPage } } });
}

describe('wallet', () => {
  it('names each figure by its label', async () => {
    renderPage('/wallet', walletApi(110));
    expect(await screen.findByRole('group', { name: 'Balance' })).toHaveTextContent('110credits available');
    expect(screen.getByRole('group', { name: 'Shares given' })).toHaveTextContent('1last 12 weeks');
    expect(screen.getByRole('group', { name: 'Clicks received' })).toHaveTextContent('7visits, last 12 weeks');
    expect(screen.getByRole('group', { name: 'Reach received' })).toHaveTextContent('300people, last 12 weeks');
  });

  it('shows the weeks as a table for screen readers, over the period chosen', async () => {
    const api = walletApi(110);
    renderPage('/wallet', api);
    const table = await screen.findByRole('table', { name: 'Credits per week' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('1020');
    screen.getByRole('button', { name: '26 weeks' }).click();
    await waitFor(() => expect(screen.getByRole('group', { name: 'Shares given' })).toHaveTextContent('1last 26 weeks'));
    expect(api.calls('WalletSummary').map((c) => c.variables.weeks)).toEqual([12, 26]);
  });

  it('brings the balance in the top bar up to date with the wallet’s', async () => {
    renderPage('/wallet', walletApi(110), viewerFixture({}, 100));
    const balance = await screen.findByRole('group', { name: 'Balance' });
    expect(within(balance).getByText('110')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Balance: 110 credits' })).toBeInTheDocument();
  });
});
