import type { MatrixReport } from "./report.js";

/** What a partial or merged report is, in one sentence for every rendering; undefined for a whole, unsharded run. */
export function shardProvenance(report: MatrixReport): string | undefined {
  if (report.shard) {
    const { index, of, planned } = report.shard;
    return (
      `Partial report: shard ${index} of ${of}, ${report.cells.length} of the matrix's ${planned.length} cells. ` +
      `The recommendation covers this shard's cells only: join the ${of} shards with \`redis-persistence merge\`.`
    );
  }
  if (report.merged) {
    const shards = report.merged.shards;
    return `Merged from ${shards.length} shards (runs ${shards.map((s) => s.runId).join(", ")}); each cell's figures are as its shard measured them, wall time is the sum of the shards'.`;
  }
  return undefined;
}
