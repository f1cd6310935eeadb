import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useGraphqlQuery } from '../../api/graphql-queries';
import { NetworkBadge } from '../../ui/badge';
import { BarChart } from '../../ui/charts/charts';
import { formatNumber, formatShortDate } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { QueryError } from '../../ui/query-error';
import { POST_ANALYTICS, type PostAnalytics } from './post-analytics-operations';

const PERIODS = [30, 90] as const;
const TOP_SHARERS = 5;

/** One of the member's posts: what its shares reached and brought, from My posts. */
const route = getRouteApi('/member/posts/$id');

export default function PostAnalyticsPage() {
  const { id } = route.useParams();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  // Another period keeps the figures shown until its own arrive.
  const result = useGraphqlQuery(POST_ANALYTICS, { id, days }, { placeholderData: keepPreviousData });
  const post = result.data?.node && 'clicks' in result.data.node ? (result.data.node as PostAnalytics) : null;

  return (
    <div className="page">
      <PageHeader
        title={post ? `Analytics: ${post.title}` : 'Post analytics'}
        description="Who shared it, where, what it reached and how many people it brought to your page."
        actions={
          <Link to="/posts" className="button button--secondary">
            Back to my posts
          </Link>
        }
      />
      {result.isPending ? (
        <SkeletonList count={2} variant="row" label="Loading the post's figures" />
      ) : result.error ? (
        <QueryError error={result.error} retry={() => void result.refetch()} />
      ) : !post ? (
        <EmptyState title="No such post">It may have been removed, or it is not yours.</EmptyState>
      ) : (
        <Analytics post={post} days={days} onDays={setDays} />
      )}
    </div>
  );
}

function Analytics({ post, days, onDays }: { post: PostAnalytics; days: number; onDays: (days: (typeof PERIODS)[number]) => void }) {
  const spent = post.shareCount * post.creditsPerShare;
  const posted = post.shares.nodes.filter((s) => s.status === 'POSTED');
  const byNetwork = new Map<string, number>();
  for (const share of posted) byNetwork.set(share.channel.network, (byNetwork.get(share.channel.network) ?? 0) + 1);
  const sharers = new Map<string, { name: string; handle: string; shares: number; clicks: number; reach: number }>();
  for (const share of posted) {
    const row = sharers.get(share.sharer.id) ?? {
      name: share.sharer.displayName,
      handle: share.sharer.handle,
      shares: 0,
      clicks: 0,
      reach: 0,
    };
    row.shares++;
    row.clicks += share.clicks;
    row.reach += share.channel.audienceSize;
    sharers.set(share.sharer.id, row);
  }
  const top = [...sharers.values()].sort((a, b) => b.clicks - a.clicks || b.reach - a.reach).slice(0, TOP_SHARERS);

  return (
    <>
      <div className="stat-grid">
        <Stat label="Clicks" value={formatNumber(post.clicks)} hint="unique visits through its links" />
        <Stat label="Reach" value={formatNumber(post.reach)} hint="audience of the channels it was posted to" />
        <Stat label="Shares" value={formatNumber(post.shareCount)} hint="posted" />
        <Stat
          label="Cost per click"
          value={post.clicks > 0 ? (spent / post.clicks).toFixed(1) : '—'}
          hint={`${formatNumber(spent)} credits spent`}
        />
      </div>
      <div className="chart-grid">
        <section className="card" aria-labelledby="post-clicks">
          <div className="section__header">
            <h2 id="post-clicks" className="card__title">
              Clicks per day
            </h2>
            <div className="segmented" role="group" aria-label="Period">
              {PERIODS.map((n) => (
                <button key={n} type="button" className="segmented__item" aria-pressed={days === n} onClick={() => onDays(n)}>
                  {n} days
                </button>
              ))}
            </div>
          </div>
          <BarChart
            title="Clicks per day"
            groupLabel="Day"
            series={['Clicks']}
            groups={post.clickHistory.map((d) => ({ label: formatShortDate(d.day), values: [d.count] }))}
          />
        </section>
        <section className="card" aria-labelledby="post-networks">
          <h2 id="post-networks" className="card__title">
            Shares by network
          </h2>
          <BarChart
            title="Shares by network"
            groupLabel="Network"
            series={['Shares']}
            groups={[...byNetwork].map(([network, n]) => ({ label: network, values: [n] }))}
          />
        </section>
      </div>
      <section className="section" aria-labelledby="post-sharers">
        <h2 id="post-sharers">Top sharers</h2>
        {top.length === 0 ? (
          <EmptyState title="Nobody has shared it yet" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Sharer</th>
                  <th scope="col" className="num">
                    Shares
                  </th>
                  <th scope="col" className="num">
                    Reach
                  </th>
                  <th scope="col" className="num">
                    Clicks
                  </th>
                </tr>
              </thead>
              <tbody>
                {top.map((row) => (
                  <tr key={row.handle}>
                    <td>
                      {row.name} <span className="muted">@{row.handle}</span>
                    </td>
                    <td className="num">{formatNumber(row.shares)}</td>
                    <td className="num">{formatNumber(row.reach)}</td>
                    <td className="num">{formatNumber(row.clicks)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {[...byNetwork.keys()].length > 0 && (
          <p className="muted">
            Networks:{' '}
            {[...byNetwork.keys()].map((n) => (
              <NetworkBadge key={n} network={n} />
            ))}
          </p>
        )}
      </section>
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  const id = useId();
  return (
    <div className="stat" role="group" aria-labelledby={id}>
      <p id={id} className="stat__label">
        {label}
      </p>
      <p className="stat__value">{value}</p>
      <p className="stat__hint">{hint}</p>
    </div>
  );
}
