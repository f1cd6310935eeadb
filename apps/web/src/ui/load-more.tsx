import { errorText } from '../api/error-text';

/** "Load more" under a paginated list, with its own pending state and error. */
export function LoadMore({
  hasMore,
  loading,
  error,
  onLoadMore,
  label = 'Load more',
}: {
  hasMore: boolean;
  loading: boolean;
  error?: unknown;
  onLoadMore: () => void;
  label?: string;
}) {
  if (!hasMore) return null;
  return (
    <div className="load-more">
      {error !== undefined && (
        <p className="field__error" role="alert">
          {errorText(error)}
        </p>
      )}
      <button type="button" className="button button--secondary" onClick={onLoadMore} disabled={loading}>
        {loading ? 'Loading…' : label}
      </button>
    </div>
  );
}
