import { Link } from '@tanstack/react-router';
import { EmptyState } from '../ui/empty-state';
import { PageHeader } from '../ui/page-header';

export function NotFoundPage() {
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <EmptyState
        title="There is nothing at this address"
        action={
          <Link to="/feed" className="button button--primary">
            Go to the feed
          </Link>
        }
      >
        The link may be old, or the page may have moved.
      </EmptyState>
    </div>
  );
}
