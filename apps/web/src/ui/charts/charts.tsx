import type { ReactElement } from 'react';
import {
  Bar,
  BarChart as RechartsBarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart as RechartsLineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** One point of the x axis (a day, a week, a network…) with one value per series. */
export interface ChartGroup {
  label: string;
  values: readonly number[];
}

interface ChartProps {
  /** Names the chart for screen readers, and captions its table. */
  title: string;
  /** One name per value of each group, shown in the legend. */
  series: readonly string[];
  groups: readonly ChartGroup[];
  /** The table's first column header: what a group is ("Week", "Day", "Network"). */
  groupLabel: string;
}

const COLORS = ['var(--color-accent)', 'var(--color-series-2)', 'var(--color-series-3, #8b5cf6)', 'var(--color-series-4, #f59e0b)'];
const HEIGHT = 220;

/**
 * Charts through Recharts, imported only by the pages that show them (each a
 * lazy chunk): the login page never loads it. Screen readers get a summary as
 * the figure's name and the numbers as a table.
 */
export function BarChart(props: ChartProps & { stacked?: boolean }) {
  const { series, stacked } = props;
  return (
    <ChartFrame {...props}>
      <RechartsBarChart data={rows(props)} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="var(--color-border)" />
        <XAxis dataKey="label" tickLine={false} fontSize={11} minTickGap={12} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} width={40} />
        <Tooltip />
        {series.length > 1 && <Legend />}
        {series.map((name, s) => (
          <Bar
            key={name}
            dataKey={`s${s}`}
            name={name}
            fill={COLORS[s % COLORS.length]}
            isAnimationActive={false}
            stackId={stacked ? 'all' : undefined}
          />
        ))}
      </RechartsBarChart>
    </ChartFrame>
  );
}

export function LineChart(props: ChartProps) {
  const { series } = props;
  return (
    <ChartFrame {...props}>
      <RechartsLineChart data={rows(props)} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="var(--color-border)" />
        <XAxis dataKey="label" tickLine={false} fontSize={11} minTickGap={12} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} width={48} />
        <Tooltip />
        {series.length > 1 && <Legend />}
        {series.map((name, s) => (
          <Line
            key={name}
            type="monotone"
            dataKey={`s${s}`}
            name={name}
            stroke={COLORS[s % COLORS.length]}
            strokeWidth={2.5}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </RechartsLineChart>
    </ChartFrame>
  );
}

function rows({ groups }: ChartProps): Array<Record<string, string | number>> {
  return groups.map((g) => Object.fromEntries([['label', g.label], ...g.values.map((v, s) => [`s${s}`, v])]));
}

function ChartFrame({ title, series, groups, groupLabel, children }: ChartProps & { children: ReactElement }) {
  if (groups.length === 0) return <p className="chart-empty">No data yet.</p>;
  const totals = series.map((_, s) => groups.reduce((sum, g) => sum + (g.values[s] ?? 0), 0));
  const summary = `${title}: ${series.map((name, s) => `${totals[s]} ${name.toLowerCase()}`).join(', ')} over ${groups.length} ${groupLabel.toLowerCase()}s`;
  return (
    <figure className="chart" aria-label={summary}>
      <div aria-hidden="true" className="chart__canvas">
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 640, height: HEIGHT }}>
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{groupLabel}</th>
              {series.map((name) => (
                <th key={name} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g, i) => (
              <tr key={`${g.label}-${i}`}>
                <td>{g.label}</td>
                {series.map((name, s) => (
                  <td key={name}>{g.values[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
