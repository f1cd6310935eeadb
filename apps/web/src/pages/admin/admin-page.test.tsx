import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { leaveApp } from '../../app/leave-app';
import { createFakeApi } from '../../testing/fake-api';
import { renderPage, viewerFixture } from '../../testing/render-app';

vi.mock('../../app/leave-app', () => ({ leaveApp: vi.fn() }));

const admin = viewerFixture({ role: 'ADMIN' });
const member = {
  id: 'm7',
  handle: 'spammy',
  displayName: 'Spammy',
  role: 'MEMBER',
  status: 'ACTIVE',
  suspendedReason: null,
  createdAt: '2026-01-01T00:00:00Z',
};
const membersPage = (nodes: unknown[]) => ({
  data: { members: { totalCount: nodes.length, nodes, pageInfo: { hasNextPage: false, endCursor: null } } },
});

describe('admin', () => {
  it('searches members and suspends one with a reason', async () => {
    const api = createFakeApi()
      .on('Members', ({ search }) => membersPage(search === 'spam' || !search ? [member] : []))
      .on('SuspendMember', ({ input }) => ({ data: { suspendMember: { ...member, status: 'SUSPENDED', suspendedReason: input.reason } } }));
    renderPage('/admin/members', api, admin);
    await userEvent.type(await screen.findByLabelText('Search members'), 'spam');
    await waitFor(() => expect(api.calls('Members').at(-1)?.variables.search).toBe('spam'));

    await userEvent.click(await screen.findByRole('button', { name: 'Suspend @spammy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Suspend @spammy?' });
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Posting the same link everywhere');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Suspend member' }));

    expect(await screen.findByRole('button', { name: 'Reinstate @spammy' })).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveTextContent('Posting the same link everywhere');
    expect(api.calls('SuspendMember')[0].variables.input).toEqual({ memberId: 'm7', reason: 'Posting the same link everywhere' });
  });

  it('pauses all sharing only after an explicit confirmation', async () => {
    const api = createFakeApi()
      .on('SharingPauses', { data: { sharingPauses: [], niches: [{ id: 'n1', name: 'Growth' }] } })
      .on('PauseSharing', ({ input }) => ({
        data: {
          pauseSharing: {
            id: 'z1',
            scope: input.scope,
            reason: input.reason,
            createdAt: '2026-01-01T00:00:00Z',
            post: null,
            niche: null,
            pausedBy: { id: 'm1', handle: 'ada' },
          },
        },
      }));
    renderPage('/admin/pauses', api, admin);
    await userEvent.type(await screen.findByLabelText('Reason'), 'Compromised accounts');
    await userEvent.click(screen.getByRole('button', { name: 'Pause everything' }));
    const confirm = await screen.findByRole('dialog', { name: 'Pause all sharing?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Pause everything' }));
    expect(await screen.findByText('All sharing is paused.')).toBeInTheDocument();
    expect(api.calls('PauseSharing')[0].variables.input).toEqual({ scope: 'EVERYTHING', reason: 'Compromised accounts' });
  });

  it('shows moderators the members section only', async () => {
    const api = createFakeApi().on('Members', membersPage([]));
    renderPage('/admin/members', api, viewerFixture({ role: 'MODERATOR' }));
    expect(await screen.findByRole('heading', { name: 'No members match' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Admin sections' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Queue board' })).not.toBeInTheDocument();
  });

  it('opens the queue board with a single-use ticket, never a token in the address', async () => {
    const api = createFakeApi()
      .on('Members', membersPage([]))
      .on('CreateQueueBoardTicket', { data: { createQueueBoardTicket: { url: '/admin/queues?ticket=t1' } } });
    renderPage('/admin/members', api, admin);
    await userEvent.click(await screen.findByRole('button', { name: 'Queue board' }));
    await waitFor(() => expect(leaveApp).toHaveBeenCalledWith('/admin/queues?ticket=t1'));
    expect(api.calls('CreateQueueBoardTicket')).toHaveLength(1);
  });
});
