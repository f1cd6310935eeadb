import { useConnectionQuery } from '../../api/connection-query';
import { formatDateTime } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { AUDIT_LOG } from './admin-operations';

/** "MEMBER_SUSPENDED" → "Member suspended". */
export function humanizeAction(action: string): string {
  const words = action.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function AuditLogSection() {
  const log = useConnectionQuery(AUDIT_LOG, { first: 30, after: null }, (data) => data.auditLog);
  if (log.loading) return <SkeletonList count={5} variant="row" label="Loading the audit log" />;
  if (log.error) return <QueryError error={log.error} retry={() => void log.refetch()} />;
  if (log.nodes.length === 0)
    return <EmptyState title="Nothing recorded yet">Moderation and admin actions appear here, newest first.</EmptyState>;
  return (
    <section aria-label="Audit log" className="section">
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">On</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {log.nodes.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                </td>
                <td>{entry.actor ? `@${entry.actor.handle}` : <span className="muted">Sharepool</span>}</td>
                <td>{humanizeAction(entry.action)}</td>
                <td>
                  {entry.targetType.toLowerCase()} {entry.targetId && <code className="muted small">{entry.targetId}</code>}
                </td>
                <td>{entry.reason ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        hasMore={log.hasMore}
        loading={log.loadingMore}
        error={log.loadMoreError}
        onLoadMore={() => void log.loadMore()}
        label="Show older"
      />
    </section>
  );
}
