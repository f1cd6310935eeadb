import { niceTicks } from './chart-scale';

export interface BarGroup {
  label: string;
  values: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 16, bottom: 28, left: 40 };

/**
 * Grouped bars drawn as SVG (e.g. shares given vs received per week), with a legend, tooltips
 * and the numbers as a table for screen readers.
 */
export function BarChart({ groups, series, title }: { groups: readonly BarGroup[]; series: readonly string[]; title: string }) {
  if (groups.length === 0) return <p className="chart-empty">No data yet.</p>;
  const ticks = niceTicks(0, Math.max(1, ...groups.flatMap((g) => g.values)), { target: 3, wholeNumbers: true });
  const max = ticks[ticks.length - 1];
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / groups.length;
  const barW = Math.max(2, (slot * 0.7) / series.length);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const totals = series.map((_, s) => groups.reduce((sum, g) => sum + (g.values[s] ?? 0), 0));
  const summary = `${title}: ${series.map((name, s) => `${totals[s]} ${name.toLowerCase()}`).join(', ')} over ${groups.length} weeks`;
  const labelEvery = Math.max(1, Math.ceil(groups.length / 6));

  return (
    <figure className="chart">
      <ul className="chart__legend" aria-hidden="true">
        {series.map((name, s) => (
          <li key={name}>
            <span className={`chart__swatch chart__series-${s}`} /> {name}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart__svg">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="chart__grid" />
            <text x={PAD.left - 8} y={y(t)} className="chart__tick" textAnchor="end" dominantBaseline="middle">
              {t}
            </text>
          </g>
        ))}
        {groups.map((g, i) => {
          const start = PAD.left + i * slot + (slot - barW * series.length) / 2;
          return (
            <g key={`${g.label}-${i}`}>
              {series.map((name, s) => {
                const v = g.values[s] ?? 0;
                return (
                  <rect
                    key={name}
                    x={start + s * barW}
                    y={y(v)}
                    width={barW - 1}
                    height={Math.max(0, y(0) - y(v))}
                    className={`chart__series-${s}`}
                  >
                    <title>{`${g.label} — ${name}: ${v}`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 && (
                <text x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} className="chart__tick" textAnchor="middle">
                  {g.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
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
