import { Link, useParams } from '../../router/router';
import { isAdmin, isModerator } from '../../session/session-viewer';
import { useViewer } from '../../session/session';
import { EmptyState } from '../../ui/empty-state';
import { PageHeader } from '../../ui/page-header';
import { AuditLogSection } from './audit-log-section';
import { CreditAdjustmentSection } from './credit-adjustment-section';
import { MembersSection } from './members-section';
import { NichesSection } from './niches-section';
import { PausesSection } from './pauses-section';

const SECTIONS = [
  { id: 'members', label: 'Members', adminOnly: false },
  { id: 'niches', label: 'Niches', adminOnly: true },
  { id: 'credits', label: 'Credit adjustments', adminOnly: true },
  { id: 'pauses', label: 'Pause sharing', adminOnly: true },
  { id: 'audit', label: 'Audit log', adminOnly: true },
] as const;

export default function AdminPage() {
  const viewer = useViewer();
  const { section } = useParams<{ section: string }>();
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
        actions={
          admin && (
            <a href="/admin/queues" className="button button--secondary">
              Queue board
            </a>
          )
        }
      />
      {visible.length > 1 && (
        <nav aria-label="Admin sections" className="tabs">
          {visible.map((s) => (
            <Link key={s.id} to={`/admin/${s.id}`} className="tabs__item">
              {s.label}
            </Link>
          ))}
        </nav>
      )}
      {!current ? (
        <EmptyState title="No such section" />
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
