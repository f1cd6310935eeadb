import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { replaceConnectionNode } from '../../api/cache-updates';
import { useConnectionQuery } from '../../api/connection-query';
import { errorText } from '../../api/error-text';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { useSession } from '../../session/session';
import { NETWORK_NAMES, NetworkBadge, StatusBadge } from '../../ui/badge';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { CANCEL_SHARE, MY_SHARES, type MyShare } from './share-operations';
import { ShareStatusAnnouncer } from './share-status-announcer';

const FILTERS = [
  { value: undefined, label: 'All' },
  { value: 'SCHEDULED', label: 'Scheduled' },
  { value: 'POSTING', label: 'Posting' },
  { value: 'POSTED', label: 'Posted' },
  { value: 'FAILED', label: 'Failed' },
  { value: 'CANCELLED', label: 'Cancelled' },
] as const;

/** While something is on its way, look every 2 s; once all is settled, stop asking. */
export const LIVE_POLL_MS = 2_000;
export function sharePollInterval(shares: readonly { status: string }[]): number | undefined {
  return shares.some((s) => s.status === 'SCHEDULED' || s.status === 'POSTING') ? LIVE_POLL_MS : undefined;
}

const route = getRouteApi('/member/shares');

export default function MySharesPage() {
  const { status } = route.useSearch();
  const navigate = route.useNavigate();
  const shares = useConnectionQuery(MY_SHARES, { first: 20, after: null, status: status ?? null }, (data) => data.viewer.shares, {
    poll: (nodes) => sharePollInterval(nodes),
  });
  const live = sharePollInterval(shares.nodes) !== undefined;
  useBalanceAfterPosting(shares.nodes);

  return (
    <div className="page">
      <PageHeader
        title="My shares"
        description="Each post you shared, on each channel. Credits arrive once a share is posted; a failed share costs nobody anything."
        actions={live && <span className="live-dot">Updating live</span>}
      />
      <div className="segmented" role="group" aria-label="Show shares">
        {FILTERS.map((filter) => (
          <button
            key={filter.label}
            type="button"
            className="segmented__item"
            aria-pressed={status === filter.value}
            onClick={() => void navigate({ search: { status: filter.value }, replace: true, resetScroll: false })}
          >
            {filter.label}
          </button>
        ))}
      </div>
      <ShareStatusAnnouncer shares={shares.nodes} />
      {shares.loading ? (
        <SkeletonList count={4} variant="row" label="Loading your shares" />
      ) : shares.error ? (
        <QueryError error={shares.error} retry={() => void shares.refetch()} />
      ) : shares.nodes.length === 0 ? (
        <EmptyState
          title={status ? 'No shares with this status' : 'You have not shared anything yet'}
          action={
            !status && (
              <Link to="/feed" className="button button--primary">
                Find posts to share
              </Link>
            )
          }
        >
          {status ? 'Try another filter.' : 'Share a peer’s post from the feed and follow it here, live.'}
        </EmptyState>
      ) : (
        <>
          <ul className="stack" aria-label="Your shares">
            {shares.nodes.map((share) => (
              <li key={share.id}>
                <ShareRow share={share} />
              </li>
            ))}
          </ul>
          <LoadMore
            hasMore={shares.hasMore}
            loading={shares.loadingMore}
            error={shares.loadMoreError}
            onLoadMore={() => void shares.loadMore()}
          />
        </>
      )}
    </div>
  );
}

/**
 * Keeps the balance in the top bar up to date with the shares shown: read again when the page
 * opens (a share may have paid since the session was loaded) and whenever a share seen here
 * turns POSTED, so the member watching sees the credits arrive without reloading the page.
 */
function useBalanceAfterPosting(shares: readonly MyShare[]) {
  const { reload } = useSession();
  const seen = useRef<Map<string, string>>(undefined);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    const before = seen.current;
    seen.current = new Map(shares.map((s) => [s.id, s.status]));
    if (before && shares.some((s) => s.status === 'POSTED' && before.has(s.id) && before.get(s.id) !== 'POSTED')) void reload();
  }, [shares, reload]);
}

function ShareRow({ share }: { share: MyShare }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const cancelShare = useGraphqlMutation(CANCEL_SHARE, {
    onSuccess: (result) => {
      replaceConnectionNode(queryClient, MY_SHARES, result.cancelShare);
      toast.success('Share cancelled');
    },
    onError: (error) => toast.error(errorText(error)),
  });
  const busy = cancelShare.isPending;
  const cancel = () => cancelShare.mutate({ id: share.id });

  return (
    <article className="row-card" aria-busy={share.status === 'POSTING'}>
      <div className="row-card__main">
        <div className="row-card__title">
          <a href={share.post.url} target="_blank" rel="noopener noreferrer">
            {share.post.title}
          </a>
          <span className="muted"> by {share.post.author.displayName}</span>
        </div>
        <div className="row-card__meta">
          <NetworkBadge network={share.channel.network} /> <span>{share.channel.handle}</span> · <StatusBadge status={share.status} />{' '}
          {share.status === 'SCHEDULED' && (
            <span>
              for <time dateTime={share.scheduledFor}>{formatDateTime(share.scheduledFor)}</time>
            </span>
          )}
          {share.status === 'POSTED' && share.postedAt && (
            <time dateTime={share.postedAt} title={formatDateTime(share.postedAt)}>
              {formatRelative(share.postedAt)}
            </time>
          )}
        </div>
        {share.status === 'FAILED' && (
          <p className="alert alert--danger alert--compact">
            <strong>Why it failed:</strong> {share.failureReason ?? 'The network did not accept the post.'} The author was not charged.
          </p>
        )}
      </div>
      <div className="row-card__side">
        {share.status === 'POSTED' ? (
          <span className="credits">+{formatCredits(share.creditsEarned)}</span>
        ) : (
          <span className="muted">{formatCredits(share.post.creditsPerShare)} on posting</span>
        )}
        {share.externalUrl && (
          <a href={share.externalUrl} target="_blank" rel="noopener noreferrer" className="button button--ghost button--small">
            View <span className="visually-hidden">the post on {NETWORK_NAMES[share.channel.network]} (opens in a new tab)</span>
          </a>
        )}
        {share.status === 'SCHEDULED' && (
          <button type="button" className="button button--secondary button--small" disabled={busy} onClick={cancel}>
            Cancel <span className="visually-hidden">the share of “{share.post.title}”</span>
          </button>
        )}
      </div>
    </article>
  );
}
