import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { replaceConnectionNode } from '../../api/cache-updates';
import { useConnectionQuery } from '../../api/connection-query';
import { errorText } from '../../api/error-text';
import { operationKey, useGraphqlMutation, useGraphqlQuery } from '../../api/graphql-queries';
import { SESSION_VIEWER_KEY } from '../../session/session';
import { Badge, NetworkBadge, StatusBadge } from '../../ui/badge';
import { useConfirm } from '../../ui/confirm';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { PostPreview } from '../../ui/post-preview';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { EditPostDialog } from './edit-post-dialog';
import { MY_POSTS, POST_SHARES, WITHDRAW_POST, type MyPost } from './post-operations';
import { SubmitPostForm } from './submit-post-form';

const FILTERS = [
  { value: undefined, label: 'All' },
  { value: 'PENDING_REVIEW', label: 'In review' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'WITHDRAWN', label: 'Withdrawn' },
] as const;

/** How long after submitting a preview still being read is expected to arrive (the job retries a passing failure). */
const UNFURL_WINDOW_MS = 2 * 60 * 1000;

function awaitingPreview(post: MyPost): boolean {
  return post.previewStatus === 'PENDING' && Date.now() - new Date(post.createdAt).getTime() < UNFURL_WINDOW_MS;
}

const route = getRouteApi('/member/posts');

export default function MyPostsPage() {
  const { status } = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const posts = useConnectionQuery(MY_POSTS, { first: 20, after: null, status: status ?? null }, (data) => data.viewer.posts, {
    // The page's preview is fetched after submitting: look again until it is there.
    poll: (nodes) => (nodes.some(awaitingPreview) ? 3_000 : undefined),
  });

  return (
    <div className="page">
      <PageHeader
        title="My posts"
        description="Offer credits for each share of your content. Moderators review each post before peers see it."
      />
      <SubmitPostForm onSubmitted={() => void queryClient.invalidateQueries({ queryKey: operationKey(MY_POSTS) })} />

      <section aria-labelledby="my-posts-list" className="section">
        <div className="section__header">
          <h2 id="my-posts-list">Your submissions</h2>
          <div className="segmented" role="group" aria-label="Show posts">
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
        </div>
        {posts.loading ? (
          <SkeletonList count={2} label="Loading your posts" />
        ) : posts.error ? (
          <QueryError error={posts.error} retry={() => void posts.refetch()} />
        ) : posts.nodes.length === 0 ? (
          <EmptyState title={status ? 'No posts with this status' : 'You have not submitted anything yet'}>
            {status ? 'Try another filter.' : 'Paste the address of an article, video or page above: peers in your niche will share it.'}
          </EmptyState>
        ) : (
          <>
            <ul className="stack" aria-label="Your posts">
              {posts.nodes.map((post) => (
                <li key={post.id}>
                  <MyPostCard post={post} />
                </li>
              ))}
            </ul>
            <LoadMore
              hasMore={posts.hasMore}
              loading={posts.loadingMore}
              error={posts.loadMoreError}
              onLoadMore={() => void posts.loadMore()}
            />
          </>
        )}
      </section>
    </div>
  );
}

function MyPostCard({ post }: { post: MyPost }) {
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const toast = useToast();
  const withdrawPost = useGraphqlMutation(WITHDRAW_POST, {
    onSuccess: (result) => {
      replaceConnectionNode(queryClient, MY_POSTS, result.withdrawPost);
      toast.success(`Withdrawn — ${formatCredits(post.budgetRemaining)} back in your wallet`);
      // The budget is back in the balance.
      void queryClient.invalidateQueries({ queryKey: SESSION_VIEWER_KEY });
    },
    onError: (error) => toast.error(errorText(error)),
  });
  const busy = withdrawPost.isPending;
  const [editing, setEditing] = useState(false);
  const canWithdraw = post.status === 'PENDING_REVIEW' || post.status === 'APPROVED';
  const canEdit = post.status === 'PENDING_REVIEW';
  const fetching = awaitingPreview(post);
  // A preview that failed, or that is long overdue, will not fill the post: the author can.
  const previewMissing =
    (post.status === 'PENDING_REVIEW' || post.status === 'APPROVED') &&
    (post.previewStatus === 'FAILED' || (post.previewStatus === 'PENDING' && !fetching));

  const withdraw = async () => {
    const ok = await confirm({
      title: 'Withdraw this post?',
      message: (
        <>
          Peers will no longer be able to share “{post.title}”. The {formatCredits(post.budgetRemaining)} left in its budget return to your
          balance. This cannot be undone.
        </>
      ),
      confirmLabel: 'Withdraw post',
      danger: true,
    });
    if (ok) withdrawPost.mutate({ id: post.id });
  };

  return (
    <PostPreview
      post={post}
      badges={
        <>
          <StatusBadge status={post.status} />
          <Badge tone="info">{post.niche.name}</Badge>
          {post.sharingPaused && <Badge tone="warning">Sharing paused by an admin</Badge>}
        </>
      }
      meta={
        <dl className="facts">
          <div>
            <dt>Per share</dt>
            <dd>{formatCredits(post.creditsPerShare)}</dd>
          </div>
          <div>
            <dt>Budget left</dt>
            <dd>{formatCredits(post.budgetRemaining)}</dd>
          </div>
          <div>
            <dt>Shares</dt>
            <dd>{post.shareCount}</dd>
          </div>
          <div>
            <dt>Submitted</dt>
            <dd>
              <time dateTime={post.createdAt} title={formatDateTime(post.createdAt)}>
                {formatRelative(post.createdAt)}
              </time>
            </dd>
          </div>
        </dl>
      }
      actions={
        <>
          {post.status !== 'PENDING_REVIEW' && (
            <Link to="/posts/$id" params={{ id: post.id }} className="button button--secondary button--small">
              Analytics <span className="visually-hidden">of “{post.title}”</span>
            </Link>
          )}
          {canEdit && !previewMissing && (
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(true)}>
              Edit <span className="visually-hidden">“{post.title}”</span>
            </button>
          )}
          {canWithdraw && (
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void withdraw()}>
              Withdraw <span className="visually-hidden">“{post.title}”</span>
            </button>
          )}
        </>
      }
    >
      {fetching && (
        <p className="muted" role="status">
          Fetching the page preview…
        </p>
      )}
      {previewMissing && (
        <div className="alert alert--warning alert--compact" role="status">
          <p>
            {post.previewStatus === 'FAILED'
              ? `The page preview could not be fetched${post.previewError ? `: ${post.previewError.replace(/\.$/, '')}` : ''}.`
              : 'The page preview has not arrived yet.'}{' '}
            {canEdit && 'You can write its title and summary yourself.'}
          </p>
          {canEdit && (
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing(true)}>
              Edit title and summary
            </button>
          )}
        </div>
      )}
      {editing && (
        <EditPostDialog
          post={post}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            toast.success('Title and summary saved');
          }}
        />
      )}
      {post.status === 'REJECTED' && post.rejectionReason && (
        <div className="alert alert--danger">
          <strong>Why it was rejected:</strong> {post.rejectionReason}
        </div>
      )}
      {post.shareCount > 0 && <PostShares postId={post.id} count={post.shareCount} />}
    </PostPreview>
  );
}

/** Who shared the post, loaded when opened. */
function PostShares({ postId, count }: { postId: string; count: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="disclosure" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        See who shared it ({count} {count === 1 ? 'share' : 'shares'})
      </summary>
      {open && <PostSharesList postId={postId} />}
    </details>
  );
}

function PostSharesList({ postId }: { postId: string }) {
  const shares = useGraphqlQuery(POST_SHARES, { id: postId });
  if (shares.isPending) return <SkeletonList count={2} variant="row" label="Loading shares" />;
  if (shares.error) return <QueryError error={shares.error} retry={() => void shares.refetch()} />;
  const node = shares.data?.node;
  const list = node && 'shares' in node ? node.shares.nodes : [];
  if (list.length === 0) return <p className="muted">No shares yet.</p>;
  return (
    <ul className="share-list">
      {list.map((share) => (
        <li key={share.id}>
          <NetworkBadge network={share.channel.network} /> {share.sharer.displayName} <span className="muted">@{share.sharer.handle}</span>{' '}
          <StatusBadge status={share.status} />{' '}
          {share.externalUrl ? (
            <a href={share.externalUrl} target="_blank" rel="noopener noreferrer">
              View post <span className="visually-hidden">by {share.sharer.displayName} (opens in a new tab)</span>
            </a>
          ) : (
            <span className="muted">{formatDateTime(share.postedAt ?? share.scheduledFor)}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
