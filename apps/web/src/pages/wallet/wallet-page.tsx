import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useConnectionQuery } from '../../api/connection-query';
import { useGraphqlQuery } from '../../api/graphql-queries';
import { useSession } from '../../session/session';
import { BarChart, LineChart } from '../../ui/charts/charts';
import { formatDate, formatDateTime, formatNumber, formatShortDate, formatSigned } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { LoadMore } from '../../ui/load-more';
import { SkeletonList } from '../../ui/loading';
import { PageHeader } from '../../ui/page-header';
import { QueryError } from '../../ui/query-error';
import { describeEntry } from './ledger-description';
import { LEDGER, RECIPROCITY, WALLET_SUMMARY } from './wallet-operations';

export default function WalletPage() {
  return (
    <div className="page">
      <PageHeader
        title="Return on relationship"
        description="What your sharing gave and brought back week by week, every credit in and out, and who gives back."
      />
      <Summary />
      <Statement />
      <Reciprocity />
    </div>
  );
}

const PERIODS = [12, 26, 52] as const;

function Summary() {
  const [weeks, setWeeks] = useState<(typeof PERIODS)[number]>(12);
  const summary = useGraphqlQuery(WALLET_SUMMARY, { weeks }, { placeholderData: keepPreviousData });
  const { updateViewer } = useSession();
  const balance = summary.data?.viewer.creditBalance;
  // This figure is fresh; the top bar's may predate a share that has paid since.
  useEffect(() => {
    if (balance !== undefined) updateViewer((v) => (v.creditBalance === balance ? v : { ...v, creditBalance: balance }));
  }, [balance, updateViewer]);
  const periodPicker = (
    <div className="segmented" role="group" aria-label="Period">
      {PERIODS.map((n) => (
        <button key={n} type="button" className="segmented__item" aria-pressed={weeks === n} onClick={() => setWeeks(n)}>
          {n} weeks
        </button>
      ))}
    </div>
  );
  if (summary.isPending) return <SkeletonList count={2} variant="row" label="Loading your balance" />;
  if (summary.error) return <QueryError error={summary.error} retry={() => void summary.refetch()} />;
  const viewer = summary.data!.viewer;
  const ror = viewer.returnOnRelationship;
  const sum = (pick: (w: (typeof ror)[number]) => number) => ror.reduce((total, w) => total + pick(w), 0);
  const period = `last ${weeks} weeks`;
  return (
    <>
      <div className="section__header">{periodPicker}</div>
      <div className="stat-grid">
        <Stat label="Balance" value={viewer.creditBalance} hint="credits available" />
        <Stat label="Shares given" value={sum((w) => w.sharesGiven)} hint={period} />
        <Stat label="Shares received" value={sum((w) => w.sharesReceived)} hint={period} />
        <Stat label="Reach received" value={sum((w) => w.reachReceived)} hint={`people, ${period}`} />
        <Stat label="Clicks received" value={sum((w) => w.clicksReceived)} hint={`visits, ${period}`} />
      </div>
      <div className="chart-grid">
        <section className="card" aria-labelledby="chart-credits">
          <h2 id="chart-credits" className="card__title">
            Credits earned vs spent per week
          </h2>
          <BarChart
            title="Credits per week"
            groupLabel="Week"
            series={['Earned', 'Spent']}
            groups={ror.map((w) => ({ label: formatShortDate(w.weekStart), values: [w.creditsEarned, w.creditsSpent] }))}
          />
        </section>
        <section className="card" aria-labelledby="chart-reach">
          <h2 id="chart-reach" className="card__title">
            Reach and clicks received per week
          </h2>
          <LineChart
            title="Reach and clicks per week"
            groupLabel="Week"
            series={['Reach', 'Clicks']}
            groups={ror.map((w) => ({ label: formatShortDate(w.weekStart), values: [w.reachReceived, w.clicksReceived] }))}
          />
        </section>
        <section className="card" aria-labelledby="chart-activity">
          <h2 id="chart-activity" className="card__title">
            Shares given vs received per week
          </h2>
          <BarChart
            title="Shares per week"
            groupLabel="Week"
            series={['Given', 'Received']}
            groups={ror.map((w) => ({ label: formatShortDate(w.weekStart), values: [w.sharesGiven, w.sharesReceived] }))}
          />
        </section>
        <section className="card" aria-labelledby="chart-balance">
          <h2 id="chart-balance" className="card__title">
            Credits over the last 30 days
          </h2>
          <LineChart
            title="Balance per day"
            groupLabel="Day"
            series={['Balance']}
            groups={viewer.creditHistory.map((d) => ({ label: formatShortDate(d.day), values: [d.balance] }))}
          />
        </section>
      </div>
    </>
  );
}

/** One figure, named by its label for screen readers (and tests): "Balance, 110, credits available". */
function Stat({ label, value, hint }: { label: string; value: number; hint: string }) {
  const id = useId();
  return (
    <div className="stat" role="group" aria-labelledby={id}>
      <p id={id} className="stat__label">
        {label}
      </p>
      <p className="stat__value">{formatNumber(value)}</p>
      <p className="stat__hint">{hint}</p>
    </div>
  );
}

function Statement() {
  const ledger = useConnectionQuery(LEDGER, { first: 25, after: null }, (data) => data.viewer.ledger);
  return (
    <section className="section" aria-labelledby="statement-title">
      <h2 id="statement-title">Statement</h2>
      {ledger.loading ? (
        <SkeletonList count={4} variant="row" label="Loading the statement" />
      ) : ledger.error ? (
        <QueryError error={ledger.error} retry={() => void ledger.refetch()} />
      ) : ledger.nodes.length === 0 ? (
        <EmptyState title="No credit movements yet" />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                {ledger.nodes.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
                        {formatDate(entry.createdAt)}
                      </time>
                    </td>
                    <td>{describeEntry(entry)}</td>
                    <td className={`num ${entry.amount >= 0 ? 'amount--in' : 'amount--out'}`}>{formatSigned(entry.amount)}</td>
                    <td className="num">{formatNumber(entry.balanceAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore
            hasMore={ledger.hasMore}
            loading={ledger.loadingMore}
            error={ledger.loadMoreError}
            onLoadMore={() => void ledger.loadMore()}
            label="Show older entries"
          />
        </>
      )}
    </section>
  );
}

function Reciprocity() {
  const peers = useConnectionQuery(RECIPROCITY, { first: 20, after: null }, (data) => ({
    ...data.viewer.reciprocity,
    nodes: data.viewer.reciprocity.nodes.map((r) => ({ ...r, id: r.peer.id })),
  }));
  return (
    <section className="section" aria-labelledby="reciprocity-title">
      <h2 id="reciprocity-title">Reciprocity</h2>
      <p className="muted">For each peer: how many of their posts you shared, and how many of yours they shared.</p>
      {peers.loading ? (
        <SkeletonList count={3} variant="row" label="Loading reciprocity" />
      ) : peers.error ? (
        <QueryError error={peers.error} retry={() => void peers.refetch()} />
      ) : peers.nodes.length === 0 ? (
        <EmptyState title="No exchanges yet">Share a peer's post and they appear here, with what they gave back.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Peer</th>
                  <th scope="col" className="num">
                    You shared theirs
                  </th>
                  <th scope="col" className="num">
                    They shared yours
                  </th>
                  <th scope="col">Balance</th>
                  <th scope="col">Last share</th>
                </tr>
              </thead>
              <tbody>
                {peers.nodes.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      {row.peer.displayName} <span className="muted">@{row.peer.handle}</span>
                    </th>
                    <td className="num">{row.sharesGiven}</td>
                    <td className="num">{row.sharesReceived}</td>
                    <td>
                      <ReciprocityBar given={row.sharesGiven} received={row.sharesReceived} />
                    </td>
                    <td>{row.lastSharedAt ? formatDate(row.lastSharedAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore
            hasMore={peers.hasMore}
            loading={peers.loadingMore}
            error={peers.loadMoreError}
            onLoadMore={() => void peers.loadMore()}
          />
        </>
      )}
    </section>
  );
}

/** Given vs received as one split bar; the numbers beside it carry the meaning for screen readers. */
function ReciprocityBar({ given, received }: { given: number; received: number }) {
  const total = given + received;
  const share = total === 0 ? 50 : (given / total) * 100;
  return (
    <span className="split-bar" aria-hidden="true">
      <span className="split-bar__given" style={{ width: `${share}%` }} />
      <span className="split-bar__received" style={{ width: `${100 - share}%` }} />
    </span>
  );
}
