/**
 * Round values for a chart's axis that cover `low`..`high`: about `target` steps of 1, 2 or 5 × 10ⁿ
 * (0, 50, 100, 150 rather than 0, 61, 121). With `wholeNumbers` a step is at least 1, so counts
 * never get two ticks that round to the same label. A flat range still gets a span to draw in.
 */
export function niceTicks(low: number, high: number, { target = 4, wholeNumbers = false } = {}): number[] {
  let from = Math.min(low, high);
  let to = Math.max(low, high);
  if (from === to) {
    from = Math.min(0, from);
    to = to === 0 ? 1 : Math.max(0, to);
  }
  const raw = (to - from) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  if (wholeNumbers) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const first = Math.floor(from / step);
  const last = Math.ceil(to / step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return ticks;
}
