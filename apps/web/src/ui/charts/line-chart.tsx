import { useId } from 'react';
import { niceTicks } from './chart-scale';

export interface LinePoint {
  label: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 16, bottom: 28, left: 48 };

/**
 * A line chart drawn as SVG. Screen readers get the summary as the image's name and the numbers
 * as a table; each point has a tooltip.
 */
export function LineChart({ points, title, unit }: { points: readonly LinePoint[]; title: string; unit: string }) {
  const id = useId();
  if (points.length === 0) return <p className="chart-empty">No data yet.</p>;
  const values = points.map((p) => p.value);
  const ticks = niceTicks(Math.min(...values), Math.max(...values), { target: 3 });
  const min = ticks[0];
  const max = ticks[ticks.length - 1];
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - ((v - min) / (max - min)) * innerH;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const area = `${line} L${x(points.length - 1).toFixed(1)},${y(min)} L${x(0).toFixed(1)},${y(min)} Z`;
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  const first = points[0];
  const last = points[points.length - 1];
  const summary = `${title}: from ${first.value} ${unit} on ${first.label} to ${last.value} ${unit} on ${last.label}`;

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart__svg">
        <defs>
          <linearGradient id={`${id}-fill`} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="var(--color-accent)" stopOpacity="0.25" />
            <stop offset="100%" stopColor="var(--color-accent)" stopOpacity="0" />
          </linearGradient>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="chart__grid" />
            <text x={PAD.left - 8} y={y(t)} className="chart__tick" textAnchor="end" dominantBaseline="middle">
              {t}
            </text>
          </g>
        ))}
        <path d={area} fill={`url(#${id}-fill)`} />
        <path d={line} className="chart__line" />
        {points.map((p, i) => (
          <g key={`${p.label}-${i}`}>
            <circle cx={x(i)} cy={y(p.value)} r={points.length > 40 ? 2 : 3.5} className="chart__dot">
              <title>{`${p.label}: ${p.value} ${unit}`}</title>
            </circle>
            {i % labelEvery === 0 && (
              <text x={x(i)} y={HEIGHT - 8} className="chart__tick" textAnchor="middle">
                {p.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr key={`${p.label}-${i}`}>
                <td>{p.label}</td>
                <td>{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
