import { UsageError } from "./exit-codes.js";
import { parseDurationMs, parseMiB } from "./options.js";

/**
 * Parses `--graces 0,1,2,5,10,30` (bare numbers are seconds; 30s, 1m also work) into ms, sorted
 * and deduplicated. Docker counts a stop grace in whole seconds, so a fraction is refused rather
 * than rounded behind the user's back.
 */
export function parseGraces(option: string, text: string): number[] {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} is empty; give whole seconds, e.g. ${option} 0,1,2,5,10,30`);
  const graces = items.map((item) => {
    const ms = /^\d+(\.\d+)?$/.test(item) ? Number(item) * 1000 : parseDurationMs(option, item);
    if (!Number.isFinite(ms) || ms % 1000 !== 0) throw new UsageError(`${option} ${item}: Docker counts the stop grace in whole seconds; give e.g. ${Math.floor(ms / 1000)} or ${Math.ceil(ms / 1000)}`);
    return ms;
  });
  return [...new Set(graces)].sort((a, b) => a - b);
}

/** Parses `--dataset-sizes 64,256,1GiB` into MiB, sorted and deduplicated; each at least 1 MiB. */
export function parseDatasetSizes(option: string, text: string): number[] {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} is empty; give sizes in MiB, e.g. ${option} 64,256,1024`);
  const sizes = items.map((item) => {
    const mib = parseMiB(option, item);
    if (mib < 1) throw new UsageError(`${option} ${item}: a dataset of at least 1 MiB is needed for a final save to take measurable time`);
    return mib;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** What the matrix command makes of --graces and --dataset-sizes: no sweep, or its graces and sizes. */
export function graceSweepOptions(values: { graces?: string; "dataset-sizes"?: string; versions?: string }, datasetMiB: number): { gracesMs: number[]; datasetSizesMiB: number[] } | undefined {
  if (values.graces === undefined) {
    if (values["dataset-sizes"] !== undefined) throw new UsageError("matrix: --dataset-sizes sizes the grace sweep; give --graces too (e.g. --graces 0,1,2,5,10,30), or use --dataset-size for the matrix");
    return undefined;
  }
  if (values.versions !== undefined) throw new UsageError("matrix: --graces runs on one server version; drop --versions (or use --image)");
  return {
    gracesMs: parseGraces("--graces", values.graces),
    datasetSizesMiB: values["dataset-sizes"] !== undefined ? parseDatasetSizes("--dataset-sizes", values["dataset-sizes"]) : [datasetMiB],
  };
}
