import { formatMs, formatRate, versionLabel } from "./format.js";
import type { MatrixReport, ReportCell } from "./report.js";
import { median } from "./stats.js";
import type { BarChartSpec, Series } from "./svg-chart.js";

/** The three charts of a report over several versions: a group per mode, a bar per version (series named by version id). */
export function versionCharts(report: MatrixReport, series: Series[]): { loss: BarChartSpec; throughput: BarChartSpec; recovery: BarChartSpec } {
  const considered = report.recommendation.consideredFaults;
  const needs = report.recommendation.needs;
  const chart = (title: string, format: (v: number) => string, pick: (cells: ReportCell[]) => number, what: string): BarChartSpec => ({
    title,
    series,
    format,
    groups: report.modes.map(({ mode }) => ({
      label: mode,
      bars: report.versions.map((v) => {
        const value = pick(report.cells.filter((c) => c.mode === mode && c.version === v.id));
        return { series: v.id, value, label: format(value), title: `${mode} on ${versionLabel(v)}: ${what} ${format(value)}` };
      }),
    })),
  });
  return {
    // Faults where every mode loses everything would only show how long the writes ran.
    loss: {
      ...chart("Worst loss window per mode and version", formatMs, (cells) => Math.max(0, ...cells.filter((c) => considered.includes(c.fault)).map((c) => (c.figures.allLost ? 0 : (c.figures.lossWindowMs?.max ?? 0)))), "worst loss window"),
      threshold: { value: needs.maxLossMs, label: `max loss ${formatMs(needs.maxLossMs)}` },
    },
    throughput: {
      ...chart("Median write throughput per mode and version", formatRate, (cells) => median(cells.map((c) => c.figures.opsPerSecond.median)), "median write rate"),
      threshold: { value: needs.minOpsPerSecond, label: `needed ${formatRate(needs.minOpsPerSecond)}` },
    },
    recovery: chart("Median recovery time per mode and version", formatMs, (cells) => median(cells.map((c) => c.figures.recoveryMs.median)), "median recovery"),
  };
}
