import { escapeHtml } from "./escape-html.js";

/** One bar: its value, an optional spread (repetitions), the text at its end and its tooltip. */
export interface Bar {
  series: string;
  value: number;
  min?: number;
  max?: number;
  label: string;
  title: string;
}

/** The bars of one row label (one mode). */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A series (one fault) and its color. */
export interface Series {
  name: string;
  color: string;
}

/** A horizontal grouped bar chart, drawn as inline SVG. */
export interface BarChartSpec {
  title: string;
  groups: BarGroup[];
  series: Series[];
  format: (value: number) => string;
  /** A vertical dashed line across the chart, e.g. the stated maximum loss. */
  threshold?: { value: number; label: string };
  /** A short vertical mark inside one group, e.g. redis-benchmark's rate for that mode. */
  markers?: { group: string; value: number; label: string }[];
}

const WIDTH = 640;
const LABEL_WIDTH = 112;
const VALUE_ROOM = 92;
const BAR_HEIGHT = 13;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const TOP = 26;
const BOTTOM = 26;

/** Renders the chart; the SVG needs no script and no external resource. */
export function barChart(spec: BarChartSpec): string {
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const values = spec.groups.flatMap((g) => g.bars.map((b) => Math.max(b.value, b.max ?? 0)));
  const top = Math.max(...values, spec.threshold?.value ?? 0, ...(spec.markers ?? []).map((m) => m.value), 1);
  const ticks = niceTicks(top);
  const scaleMax = ticks.at(-1) ?? top;
  const x = (value: number): number => LABEL_WIDTH + (Math.max(0, value) / scaleMax) * plotWidth;
  const colorOf = new Map(spec.series.map((s) => [s.name, s.color]));
  const parts: string[] = [];
  let y = TOP;
  for (const group of spec.groups) {
    const groupHeight = group.bars.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
    parts.push(`<text class="group-label" x="${LABEL_WIDTH - 10}" y="${y + groupHeight / 2 + 4}" text-anchor="end">${escapeHtml(group.label)}</text>`);
    group.bars.forEach((bar, i) => {
      const barY = y + i * (BAR_HEIGHT + BAR_GAP);
      const end = x(bar.value);
      const width = bar.value > 0 ? Math.max(2, end - LABEL_WIDTH) : 1;
      const spread =
        bar.min !== undefined && bar.max !== undefined && bar.max > bar.min
          ? `<line class="spread" x1="${x(bar.min)}" x2="${x(bar.max)}" y1="${barY + BAR_HEIGHT / 2}" y2="${barY + BAR_HEIGHT / 2}"/>`
          : "";
      const labelX = Math.max(end, bar.max !== undefined ? x(bar.max) : end) + 5;
      parts.push(
        `<g><title>${escapeHtml(bar.title)}</title>` +
          `<rect x="${LABEL_WIDTH}" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="2" fill="${colorOf.get(bar.series) ?? "#888"}"/>` +
          spread +
          `<text class="value" x="${labelX.toFixed(1)}" y="${barY + BAR_HEIGHT - 2}">${escapeHtml(bar.label)}</text></g>`,
      );
    });
    for (const marker of (spec.markers ?? []).filter((m) => m.group === group.label)) {
      const mx = x(marker.value).toFixed(1);
      parts.push(
        `<g class="marker"><title>${escapeHtml(marker.label)}</title><line x1="${mx}" x2="${mx}" y1="${y - 4}" y2="${y + groupHeight + 4}"/>` +
          `<path d="M${mx} ${y - 4} l-4 -6 h8 z"/></g>`,
      );
    }
    y += groupHeight + GROUP_GAP;
  }
  const plotBottom = y - GROUP_GAP + 6;
  const height = plotBottom + BOTTOM;
  const grid = ticks.map((t) => {
    const tx = x(t).toFixed(1);
    return `<line class="grid" x1="${tx}" x2="${tx}" y1="${TOP - 8}" y2="${plotBottom}"/><text class="tick" x="${tx}" y="${plotBottom + 16}" text-anchor="middle">${escapeHtml(spec.format(t))}</text>`;
  });
  const threshold = spec.threshold
    ? `<g class="threshold"><line x1="${x(spec.threshold.value).toFixed(1)}" x2="${x(spec.threshold.value).toFixed(1)}" y1="${TOP - 12}" y2="${plotBottom}"/>` +
      `<text x="${(x(spec.threshold.value) + 4).toFixed(1)}" y="${TOP - 14}">${escapeHtml(spec.threshold.label)}</text></g>`
    : "";
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(spec.title)}</title>${grid.join("")}${parts.join("")}${threshold}</svg>`
  );
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, count = 5): number[] {
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) || 1;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  if ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}
