import type { ExpectedMeasurement } from "../../configs/disk-fault-contracts.js";
import type { CellResult } from "../../harness/cell/run-cell.js";

/** The measured figures of a cell as one `name=value` line. */
export function formatMeasurements(result: CellResult): string {
  return Object.entries(result.measurements ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/** Why a measured figure does not come out as expected; undefined when it does. */
export function measurementMismatch(expected: ExpectedMeasurement, result: CellResult): string | undefined {
  const value = result.measurements?.[expected.name];
  const ok =
    expected.is === "positive" ? typeof value === "number" && value > 0
    : expected.is === "zero" ? value === 0
    : value !== undefined && expected.is.test(String(value));
  const wanted = typeof expected.is === "string" ? expected.is : `matching ${expected.is}`;
  return ok ? undefined : `${expected.name} should be ${wanted}, measured ${value === undefined ? "nothing" : JSON.stringify(value)} (source: ${expected.source})`;
}
