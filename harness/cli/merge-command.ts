import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { validateJson } from "../report/json-schema.js";
import type { ShardReport } from "../report/merge-reports.js";
import { MergeError, mergeReports } from "../report/merge-reports.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { MatrixReport } from "../report/report.js";
import type { ReportFiles } from "../report/write-report.js";
import { loadReportSchema, writeReport } from "../report/write-report.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { MERGE_HELP } from "./help.js";
import { parseCommandLine } from "./parse-command-args.js";
import type { CliIo } from "./session-scope.js";

/** What `merge` produced: the joined report, its files and the exit code. */
export interface MergeOutcome {
  exitCode: number;
  report?: MatrixReport;
  files?: ReportFiles;
}

/** `redis-persistence merge DIR... --out DIR`: joins the partial reports of `matrix --shard K/N` into one report. Needs no Docker. */
export async function mergeCommand(args: string[], io: CliIo): Promise<MergeOutcome> {
  const { values, positionals } = parseCommandLine("merge", args, { out: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) {
    io.out(MERGE_HELP);
    return { exitCode: EXIT.ok };
  }
  if (positionals.length === 0) throw new UsageError("merge: give the --out directories of the shards, e.g. `merge shard-1 shard-2 shard-3 --out reports`. See `redis-persistence merge --help`.");
  const outDir = path.resolve(values.out ?? "reports");
  const shards = await Promise.all(positionals.map(readShard));
  // The output must not overwrite a shard still to be read by a later merge.
  const clash = shards.find((s) => path.dirname(s.source) === outDir);
  if (clash) throw new UsageError(`merge: --out ${values.out ?? "reports"} is the directory of ${clash.source}: write the merged report elsewhere, so the shard stays as recorded`);
  let report: MatrixReport;
  try {
    report = mergeReports(shards);
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError(`merge: ${error.message}`);
    throw error;
  }
  const { files, schemaErrors } = await writeReport(report, outDir);
  io.out(renderTerminal(report));
  io.out(`\nmerged ${shards.length} shard(s) into ${files.json}\n      ${files.markdown}\n      ${files.html}\n`);
  if (schemaErrors.length > 0) io.err(`[merge] report.json does not match its schema (a bug, please report):\n  ${schemaErrors.join("\n  ")}\n`);
  const dangers = report.merged?.dangers ?? [];
  for (const danger of dangers) io.err(`[merge] the gate fails ${danger}\n`);
  // The rule `matrix` exits by, over the joined cells.
  const held = report.cells.every((c) => (c.verdict === true || c.verdict === "not-applicable") && c.consistent) && dangers.length === 0;
  return { exitCode: held ? EXIT.ok : EXIT.failed, report, files };
}

// A directory holds report.json; a file is taken as the report itself. Anything else is a usage error naming the operand.
async function readShard(operand: string): Promise<ShardReport> {
  const given = path.resolve(operand);
  const isDir = await stat(given).then((s) => s.isDirectory(), () => undefined);
  if (isDir === undefined) throw new UsageError(`merge: ${operand} does not exist: give the --out directory of a \`matrix --shard K/N\` run`);
  const source = isDir ? path.join(given, "report.json") : given;
  let text: string;
  try {
    text = await readFile(source, "utf8");
  } catch {
    throw new UsageError(`merge: ${operand} holds no report.json: give the --out directory of a \`matrix --shard K/N\` run`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`merge: ${source} is not JSON (${(error as Error).message}): was the shard's run cut short? Run that shard again`);
  }
  const errors = validateJson(parsed, loadReportSchema());
  if (errors.length > 0) {
    const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
    throw new UsageError(`merge: ${source} is not a report of this tool's version (schema version ${String(version)}): ${errors.slice(0, 3).join("; ")}${errors.length > 3 ? `; and ${errors.length - 3} more` : ""}`);
  }
  return { source, report: parsed as MatrixReport };
}
