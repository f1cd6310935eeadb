import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { removeConnectionNode } from '../../api/cache-updates';
import { useConnectionQuery } from '../../api/connection-query';
import { errorText } from '../../api/error-text';
import { useGraphqlMutation } from '../../api/graphql-queries';
import { isModerator } from '../../session/session-viewer';
import { useViewer } from '../../session/session';
import { Badge } from '../../ui/badge';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { PostPreview } from '../../ui/post-preview';
import { QueryError } from '../../ui/query-error';
import { useToast } from '../../ui/toast';
import { MODERATE_POST, MODERATION_QUEUE, type QueuedPost } from './moderation-operations';
import { RejectPostDialog } from './reject-post-dialog';

export default function ModerationPage() {
  const viewer = useViewer();
  if (!isModerator(viewer)) {
    return (
      <div className="page">
        <PageHeader title="Moderation" />
        <EmptyState title="For moderators only">Moderators review posts before peers can share them.</EmptyState>
      </div>
    );
  }
  return <ModerationQueue />;
}

function ModerationQueue() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const queue = useConnectionQuery(MODERATION_QUEUE, { first: 10, after: null }, (data) => data.moderationQueue);
  const [rejecting, setRejecting] = useState<QueuedPost>();
  const moderate = useGraphqlMutation(MODERATE_POST, {
    onSuccess: (_result, { input }) => removeConnectionNode(queryClient, MODERATION_QUEUE, input.postId),
  });
  const busy = moderate.isPending ? moderate.variables.input.postId : undefined;

  const approve = (post: QueuedPost) =>
    moderate.mutate(
      { input: { postId: post.id, action: 'APPROVE' } },
      {
        onSuccess: () => toast.success(`Approved “${post.title}” — it is in peers' feeds now`),
        onError: (error) => toast.error(errorText(error)),
      },
    );

  return (
    <div className="page">
      <PageHeader title="Moderation" description="Posts waiting for review, oldest first. Open each page before you decide." />
      {queue.loading ? (
        <SkeletonList count={2} label="Loading the queue" />
      ) : queue.error ? (
        <QueryError error={queue.error} retry={() => void queue.refetch()} />
      ) : queue.nodes.length === 0 ? (
        <EmptyState title="The queue is empty">Nothing waits for review. New submissions appear here.</EmptyState>
      ) : (
        <>
          <ul className="stack" aria-label="Posts awaiting review">
            {queue.nodes.map((post) => (
              <li key={post.id}>
                <PostPreview
                  post={post}
                  badges={<Badge tone="info">{post.niche.name}</Badge>}
                  meta={
                    <>
                      By {post.author.displayName} <span className="muted">@{post.author.handle}</span>, member since{' '}
                      {formatRelative(post.author.createdAt)} · offers {formatCredits(post.creditsPerShare)} per share, budget{' '}
                      {formatCredits(post.budgetRemaining)} · submitted{' '}
                      <time dateTime={post.createdAt} title={formatDateTime(post.createdAt)}>
                        {formatRelative(post.createdAt)}
                      </time>
                    </>
                  }
                  actions={
                    <>
                      <button type="button" className="button button--primary" disabled={busy === post.id} onClick={() => approve(post)}>
                        Approve <span className="visually-hidden">“{post.title}”</span>
                      </button>
                      <button
                        type="button"
                        className="button button--secondary"
                        disabled={busy === post.id}
                        onClick={() => setRejecting(post)}
                      >
                        Reject <span className="visually-hidden">“{post.title}”</span>
                      </button>
                    </>
                  }
                >
                  <blockquote className="quote">
                    <span className="visually-hidden">Suggested message: </span>
                    {post.suggestedMessage}
                  </blockquote>
                </PostPreview>
              </li>
            ))}
          </ul>
          <LoadMore
            hasMore={queue.hasMore}
            loading={queue.loadingMore}
            error={queue.loadMoreError}
            onLoadMore={() => void queue.loadMore()}
          />
        </>
      )}
      {rejecting && (
        <RejectPostDialog
          post={rejecting}
          onClose={() => setRejecting(undefined)}
          onRejected={() => {
            toast.success(`Rejected “${rejecting.title}”; the author has your reason`);
            setRejecting(undefined);
          }}
        />
      )}
    </div>
  );
}
