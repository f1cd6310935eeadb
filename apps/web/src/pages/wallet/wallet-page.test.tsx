import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppShell } from '../../app/app-shell';
import { createFakeApi } from '../../testing/fake-api';
import { renderSignedIn, viewerFixture } from '../../testing/render-app';
import WalletPage from './wallet-page';

const emptyPage = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };

function walletApi(creditBalance: number) {
  return createFakeApi()
    .on('WalletSummary', {
      data: {
        viewer: {
          creditBalance,
          creditHistory: [{ day: '2026-01-01', balance: creditBalance }],
          shareActivity: [{ weekStart: '2025-12-29', given: 1, received: 0 }],
        },
      },
    })
    .on('Ledger', { data: { viewer: { ledger: emptyPage } } })
    .on('Reciprocity', { data: { viewer: { reciprocity: emptyPage } } });
}

describe('wallet', () => {
  it('names each figure by its label', async () => {
    renderSignedIn(<WalletPage />, walletApi(110));
    expect(await screen.findByRole('group', { name: 'Balance' })).toHaveTextContent('110credits available');
    expect(screen.getByRole('group', { name: 'Shares given' })).toHaveTextContent('1last 12 weeks');
  });

  it('brings the balance in the top bar up to date with the wallet’s', async () => {
    renderSignedIn(
      <AppShell>
        <WalletPage />
      </AppShell>,
      walletApi(110),
      viewerFixture({}, 100),
    );
    const balance = await screen.findByRole('group', { name: 'Balance' });
    expect(within(balance).getByText('110')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Balance: 110 credits' })).toBeInTheDocument();
  });
});
