import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useGraphqlQuery } from '../../api/graphql-queries';
import { BarChart, LineChart } from '../../ui/charts/charts';
import { formatNumber, formatShortDate } from '../../ui/display-format';
import { EmptyState } from '../../ui/empty-state';
import { SkeletonList } from '../../ui/loading';
import { QueryError } from '../../ui/query-error';
import { ADMIN_DASHBOARD } from './admin-operations';

const PERIODS = [30, 90] as const;

/** The community per day: its own chunk, so the other admin sections never load the charts. */
export default function DashboardSection() {
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const result = useGraphqlQuery(ADMIN_DASHBOARD, { days }, { placeholderData: keepPreviousData });
  const dashboard = result.data?.adminDashboard;
  const total = (pick: (d: NonNullable<typeof dashboard>['days'][number]) => number) =>
    dashboard ? dashboard.days.reduce((sum, d) => sum + pick(d), 0) : 0;
  const label = (day: string) => formatShortDate(day);

  return (
    <section className="section" aria-labelledby="dashboard-title">
      <div className="section__header">
        <h2 id="dashboard-title">Dashboard</h2>
        <div className="segmented" role="group" aria-label="Period">
          {PERIODS.map((n) => (
            <button key={n} type="button" className="segmented__item" aria-pressed={days === n} onClick={() => setDays(n)}>
              {n} days
            </button>
          ))}
        </div>
      </div>
      {result.isPending ? (
        <SkeletonList count={2} variant="row" label="Loading the dashboard" />
      ) : result.error ? (
        <QueryError error={result.error} retry={() => void result.refetch()} />
      ) : (
        <>
          <div className="stat-grid">
            <Stat label="New members" value={total((d) => d.newMembers)} hint={`last ${days} days`} />
            <Stat label="Posts submitted" value={total((d) => d.postsSubmitted)} hint={`last ${days} days`} />
            <Stat label="Shares posted" value={total((d) => d.sharesPosted)} hint={`last ${days} days`} />
            <Stat label="Shares failed" value={total((d) => d.sharesFailed)} hint={`last ${days} days`} />
            <Stat label="Clicks" value={total((d) => d.clicks)} hint={`last ${days} days`} />
          </div>
          <div className="chart-grid">
            <section className="card" aria-labelledby="dash-members">
              <h3 id="dash-members" className="card__title">
                Active and new members per day
              </h3>
              <LineChart
                title="Members per day"
                groupLabel="Day"
                series={['Active', 'New']}
                groups={dashboard!.days.map((d) => ({ label: label(d.day), values: [d.activeMembers, d.newMembers] }))}
              />
            </section>
            <section className="card" aria-labelledby="dash-shares">
              <h3 id="dash-shares" className="card__title">
                Posts and shares per day
              </h3>
              <BarChart
                title="Posts and shares per day"
                groupLabel="Day"
                series={['Posts', 'Shares posted', 'Shares failed']}
                groups={dashboard!.days.map((d) => ({ label: label(d.day), values: [d.postsSubmitted, d.sharesPosted, d.sharesFailed] }))}
              />
            </section>
            <section className="card" aria-labelledby="dash-clicks">
              <h3 id="dash-clicks" className="card__title">
                Clicks per day
              </h3>
              <BarChart
                title="Clicks per day"
                groupLabel="Day"
                series={['Clicks']}
                groups={dashboard!.days.map((d) => ({ label: label(d.day), values: [d.clicks] }))}
              />
            </section>
          </div>
          <section className="section" aria-labelledby="dash-niches">
            <h3 id="dash-niches">Top niches</h3>
            {dashboard!.topNiches.length === 0 ? (
              <EmptyState title="No activity in this period" />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Niche</th>
                      <th scope="col" className="num">
                        Posts
                      </th>
                      <th scope="col" className="num">
                        Shares posted
                      </th>
                      <th scope="col" className="num">
                        Clicks
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard!.topNiches.map((n) => (
                      <tr key={n.niche.id}>
                        <td>{n.niche.name}</td>
                        <td className="num">{formatNumber(n.postsSubmitted)}</td>
                        <td className="num">{formatNumber(n.sharesPosted)}</td>
                        <td className="num">{formatNumber(n.clicks)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </section>
  );
}

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
