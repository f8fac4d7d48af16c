/** One observation of a series. Times in ms since the epoch. */
export interface Point {
  timestampMs: number;
  value: number;
}

/**
 * The prediction model: an ordinary least-squares line through the points (oldest first), read
 * at the next step, where a step is the mean interval between the points. Evenly spaced
 * 10, 20, 30 give 40. One point predicts itself. Points that all share one timestamp are taken
 * in order, one step apart. The result is rounded to 12 significant digits so that float noise
 * (40.00000000000001) does not leak into answers. Pure.
 */
export function predictNext(points: readonly Point[]): number {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) throw new Error("predictNext needs at least one point");
  if (points.length === 1) return first.value;
  const stepMs = (last.timestampMs - first.timestampMs) / (points.length - 1);
  const xs = points.map((p, i) => (stepMs > 0 ? (p.timestampMs - first.timestampMs) / stepMs : i));
  const nextX = (xs.at(-1) ?? 0) + 1;
  const n = points.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  points.forEach((p, i) => {
    const dx = (xs[i] ?? 0) - meanX;
    covariance += dx * (p.value - meanY);
    variance += dx * dx;
  });
  const slope = variance > 0 ? covariance / variance : 0;
  return roundSignificant(meanY + slope * (nextX - meanX));
}

function roundSignificant(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
}
