import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { replaceConnectionNode } from '../../api/cache-updates';
import { useConnectionQuery } from '../../api/connection-query';
import { operationKey, useGraphqlQuery } from '../../api/graphql-queries';
import { useViewer } from '../../session/session';
import { Badge } from '../../ui/badge';
import { Dialog } from '../../ui/dialog';
import { formatCredits } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { PostPreview } from '../../ui/post-preview';
import { QueryError } from '../../ui/query-error';
import { NicheMembership } from '../profile/niche-membership';
import { SHARE_CHANNELS, SHARE_FEED, type FeedPost } from './feed-operations';
import { MY_SHARES } from '../shares/share-operations';
import { ShareDialog } from './share-dialog';

const PAGE_SIZE = 12;
const route = getRouteApi('/member/feed');

export default function FeedPage() {
  const viewer = useViewer();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const niches = viewer.member.niches;
  const nicheId = niches.some((n) => n.id === search.niche) ? search.niche : undefined;
  const feed = useConnectionQuery(SHARE_FEED, { first: PAGE_SIZE, after: null, nicheId: nicheId ?? null }, (data) => data.shareFeed);
  const channels = useGraphqlQuery(SHARE_CHANNELS);
  const [sharing, setSharing] = useState<FeedPost>();
  const showNiche = (niche: string | undefined) => void navigate({ search: { niche }, replace: true, resetScroll: false });

  const onShared = (post: FeedPost) => {
    setSharing(undefined);
    // Shared in every feed that shows it (all niches, its own), and new rows on My shares.
    replaceConnectionNode(queryClient, SHARE_FEED, { id: post.id, viewerHasShared: true });
    void queryClient.invalidateQueries({ queryKey: operationKey(MY_SHARES) });
  };

  return (
    <div className="page">
      <PageHeader
        title="Feed"
        description="Posts from peers in your niches, the most generous peers first. Share one, earn its credits once it is posted."
      />
      {niches.length > 0 && (
        <nav aria-label="Niches" className="segmented">
          <button type="button" className="segmented__item" aria-pressed={!nicheId} onClick={() => showNiche(undefined)}>
            All my niches
          </button>
          {niches.map((niche) => (
            <button
              key={niche.id}
              type="button"
              className="segmented__item"
              aria-pressed={nicheId === niche.id}
              onClick={() => showNiche(niche.id)}
            >
              {niche.name}
            </button>
          ))}
        </nav>
      )}

      {feed.loading ? (
        <SkeletonList count={3} label="Loading the feed" />
      ) : feed.error ? (
        <QueryError error={feed.error} retry={() => void feed.refetch()} />
      ) : feed.nodes.length === 0 ? (
        niches.length === 0 ? (
          <EmptyState title="No posts to share yet — join a niche">
            Pick the topics you post about; their members' posts then appear here.
            <span className="empty-state__niches">
              <NicheMembership />
            </span>
          </EmptyState>
        ) : (
          <EmptyState
            title="You're all caught up"
            action={
              <Link to="/posts" className="button button--secondary">
                Submit a post of your own
              </Link>
            }
          >
            Nothing new to share in {nicheId ? niches.find((n) => n.id === nicheId)?.name : 'your niches'} right now. Check back tomorrow
            morning.
          </EmptyState>
        )
      ) : (
        <>
          <ul className="card-grid" aria-label="Posts to share">
            {feed.nodes.map((post) => (
              <li key={post.id}>
                <PostPreview
                  post={post}
                  badges={
                    <>
                      <Badge tone="info">{post.niche.name}</Badge>
                      {post.viewerHasShared && <Badge tone="success">Shared</Badge>}
                      {post.sharingPaused && <Badge tone="warning">Sharing paused</Badge>}
                    </>
                  }
                  meta={
                    <>
                      <span className="credits">+{formatCredits(post.creditsPerShare)}</span> per share · by {post.author.displayName}{' '}
                      <span className="muted">@{post.author.handle}</span>
                    </>
                  }
                  actions={
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={post.sharingPaused}
                      aria-label={`Share “${post.title}”`}
                      onClick={() => setSharing(post)}
                    >
                      Share
                    </button>
                  }
                />
              </li>
            ))}
          </ul>
          <LoadMore hasMore={feed.hasMore} loading={feed.loadingMore} error={feed.loadMoreError} onLoadMore={() => void feed.loadMore()} />
        </>
      )}

      {sharing &&
        (channels.data ? (
          <ShareDialog post={sharing} channels={channels.data.viewer.channels} onClose={() => setSharing(undefined)} onShared={onShared} />
        ) : (
          <ChannelsUnavailable error={channels.error} retry={() => void channels.refetch()} onClose={() => setSharing(undefined)} />
        ))}
    </div>
  );
}

function ChannelsUnavailable({ error, retry, onClose }: { error: unknown; retry: () => void; onClose: () => void }) {
  return (
    <Dialog open title="Share" onClose={onClose} size="small">
      {error ? <QueryError error={error} retry={retry} /> : <SkeletonList count={2} variant="row" label="Loading your channels" />}
    </Dialog>
  );
}
