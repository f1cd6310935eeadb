import { getRouteApi, Link } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { errorText } from '../../api/error-text';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { leaveApp } from '../../app/leave-app';
import { isAdmin, isModerator } from '../../session/session-viewer';
import { useViewer } from '../../session/session';
import { EmptyState } from '../../ui/empty-state';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { useToast } from '../../ui/toast';
import { CREATE_QUEUE_BOARD_TICKET } from './admin-operations';
import { AuditLogSection } from './audit-log-section';
import { CreditAdjustmentSection } from './credit-adjustment-section';
import { MembersSection } from './members-section';
import { NichesSection } from './niches-section';
import { PausesSection } from './pauses-section';

const DashboardSection = lazy(() => import('./dashboard-section'));

const SECTIONS = [
  { id: 'dashboard', label: 'Dashboard', adminOnly: true },
  { id: 'members', label: 'Members', adminOnly: false },
  { id: 'niches', label: 'Niches', adminOnly: true },
  { id: 'credits', label: 'Credit adjustments', adminOnly: true },
  { id: 'pauses', label: 'Pause sharing', adminOnly: true },
  { id: 'audit', label: 'Audit log', adminOnly: true },
] as const;

const route = getRouteApi('/member/admin/$section');

export default function AdminPage() {
  const viewer = useViewer();
  const { section } = route.useParams();
  const admin = isAdmin(viewer);
  const visible = SECTIONS.filter((s) => admin || !s.adminOnly);
  const current = visible.find((s) => s.id === section);

  if (!isModerator(viewer)) {
    return (
      <div className="page">
        <PageHeader title="Admin" />
        <EmptyState title="For admins only">Ask an admin if you need something changed.</EmptyState>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title={admin ? 'Admin' : 'Members'}
        description={admin ? 'Run the community: members, niches, credits, the emergency pause and the record of it all.' : undefined}
        actions={admin && <QueueBoardButton />}
      />
      {visible.length > 1 && (
        <nav aria-label="Admin sections" className="tabs">
          {visible.map((s) => (
            <Link key={s.id} to="/admin/$section" params={{ section: s.id }} activeProps={{}} className="tabs__item">
              {s.label}
            </Link>
          ))}
        </nav>
      )}
      {!current ? (
        <EmptyState title="No such section" />
      ) : current.id === 'dashboard' ? (
        <Suspense fallback={<SkeletonList count={2} variant="row" label="Loading the dashboard" />}>
          <DashboardSection />
        </Suspense>
      ) : current.id === 'members' ? (
        <MembersSection />
      ) : current.id === 'niches' ? (
        <NichesSection />
      ) : current.id === 'credits' ? (
        <CreditAdjustmentSection />
      ) : current.id === 'pauses' ? (
        <PausesSection />
      ) : (
        <AuditLogSection />
      )}
    </div>
  );
}

/**
 * Opens the queue board: a link cannot carry the access token, so the server hands out a
 * single-use ticket for the board's address, which it exchanges for the board's own cookie.
 */
function QueueBoardButton() {
  const { mutateAsync: createTicket, isPending: pending } = useGraphqlMutation(CREATE_QUEUE_BOARD_TICKET);
  const toast = useToast();
  const open = async () => {
    try {
      leaveApp((await createTicket({})).createQueueBoardTicket.url);
    } catch (error) {
      toast.error(errorText(error));
    }
  };
  return (
    <button type="button" className="button button--secondary" disabled={pending} onClick={() => void open()}>
      Queue board
    </button>
  );
}
