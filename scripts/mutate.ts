/**
 * `npm run mutate [-- --force | --dry-run]`: StrykerJS over the pure modules, incremental against the baseline
 * committed in .ci/. Stryker re-tests a mutant when its own code or the tests covering it changed,
 * but it does not see the other modules those files import (a changed helper can turn a killed
 * mutant into a survivor). So before each run this drops from the baseline every mutated file and
 * test file whose imports (followed with esbuild, as the tests load them) changed since the baseline
 * was recorded: their mutants are tested again. After a run that passed the threshold it records the
 * imports' hashes. A changed Stryker, vitest or TypeScript setup invalidates the whole baseline: then
 * it stops and says to record it again with --force.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = "scripts/stryker.config.mjs";
const BASELINE = ".ci/stryker-incremental.json";
const INPUTS = ".ci/stryker-inputs.json";
// What decides every result at once: which mutants exist, how they are checked and run.
const SETUP = [CONFIG, "scripts/vitest.mutate.config.ts", "scripts/tsconfig.mutate.json", "tsconfig.json", "package-lock.json"];

/** What a recorded baseline's results rest on besides the files Stryker diffs itself. */
interface RecordedInputs {
  setup: Record<string, string>;
  /** Every project file the mutated files and the tests import, except those files themselves. */
  imports: Record<string, string>;
}

/** The part of Stryker's incremental report this reads and edits. */
interface IncrementalReport {
  files: Record<string, unknown>;
  testFiles?: Record<string, unknown>;
}

const hashOf = (file: string): string | undefined => (existsSync(path.join(ROOT, file)) ? createHash("sha256").update(readFileSync(path.join(ROOT, file))).digest("hex") : undefined);
const relative = (file: string): string => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join("/");

// Each entry's project imports, transitively, as the tests load them (packages stay outside).
async function importsOf(entries: string[]): Promise<Map<string, string[]>> {
  const result = await build({ entryPoints: entries.map((e) => path.join(ROOT, e)), bundle: true, write: false, platform: "node", format: "esm", packages: "external", metafile: true, outdir: "/nonexistent", logLevel: "silent", absWorkingDir: ROOT });
  const closures = new Map<string, string[]>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    closures.set(relative(output.entryPoint), Object.keys(output.inputs).map(relative));
  }
  return closures;
}

function readBaseline(): IncrementalReport | undefined {
  return existsSync(path.join(ROOT, BASELINE)) ? (JSON.parse(readFileSync(path.join(ROOT, BASELINE), "utf8")) as IncrementalReport) : undefined;
}

// The mutated files and test files of a report, as paths relative to the project.
function entriesOf(report: IncrementalReport): { mutated: string[]; tests: string[] } {
  return { mutated: Object.keys(report.files).map(relative), tests: Object.keys(report.testFiles ?? {}).filter((f) => f !== "").map(relative) };
}

async function prepare(force: boolean, dryRun: boolean): Promise<void> {
  const report = readBaseline();
  if (!report) {
    console.log(`[mutate] no baseline in ${BASELINE}: every mutant is tested (over an hour on 2 cores)`);
    return;
  }
  if (!existsSync(path.join(ROOT, INPUTS))) {
    console.log(`[mutate] ${BASELINE} has no recorded imports (${INPUTS}): Stryker reuses what it can diff itself`);
    return;
  }
  const recorded = JSON.parse(readFileSync(path.join(ROOT, INPUTS), "utf8")) as RecordedInputs;
  const setupChanged = SETUP.filter((f) => recorded.setup[f] !== (hashOf(f) ?? "absent"));
  if (setupChanged.length > 0 && !force) {
    console.error(
      `[mutate] the baseline in ${BASELINE} was recorded with another ${setupChanged.join(", ")}: every result in it may differ now.\n` +
        "         Record it again: npm run mutate -- --force (over an hour on 2 cores), and commit .ci/stryker-*.json.",
    );
    process.exit(2);
  }
  if (force) return;
  const { mutated, tests } = entriesOf(report);
  const own = new Set([...mutated, ...tests]);
  const closures = await importsOf([...mutated, ...tests].filter((f) => existsSync(path.join(ROOT, f))));
  const changed = new Set<string>();
  for (const inputs of closures.values()) for (const input of inputs) if (!own.has(input) && recorded.imports[input] !== hashOf(input)) changed.add(input);
  if (changed.size === 0) {
    console.log(`[mutate] baseline ${BASELINE}: nothing the mutated files and tests import changed since it was recorded`);
    return;
  }
  const stale = [...closures].filter(([, inputs]) => inputs.some((i) => changed.has(i))).map(([entry]) => entry);
  const byRelative = (record: Record<string, unknown> | undefined, file: string): string | undefined => Object.keys(record ?? {}).find((k) => relative(k) === file);
  for (const entry of stale) {
    const mutatedKey = byRelative(report.files, entry);
    if (mutatedKey !== undefined) delete report.files[mutatedKey];
    const testKey = byRelative(report.testFiles, entry);
    if (testKey !== undefined && report.testFiles) delete report.testFiles[testKey];
  }
  if (!dryRun) writeFileSync(path.join(ROOT, BASELINE), JSON.stringify(report));
  const list = [...changed].sort();
  console.log(
    `[mutate] ${list.length} imported file(s) changed since the baseline (${list.slice(0, 5).join(", ")}${list.length > 5 ? ", ..." : ""}): ` +
      `the mutants of ${stale.filter((s) => mutated.includes(s)).length} mutated file(s) and those covered by ${stale.filter((s) => tests.includes(s)).length} test file(s) are tested again`,
  );
}

async function record(): Promise<void> {
  const report = readBaseline();
  if (!report) return;
  const { mutated, tests } = entriesOf(report);
  const own = new Set([...mutated, ...tests]);
  const imports: Record<string, string> = {};
  for (const inputs of (await importsOf([...mutated, ...tests])).values()) {
    for (const input of inputs) {
      const hash = hashOf(input);
      if (!own.has(input) && hash !== undefined) imports[input] = hash;
    }
  }
  const setup = Object.fromEntries(SETUP.map((f) => [f, hashOf(f) ?? "absent"]));
  const sorted = Object.fromEntries(Object.entries(imports).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path.join(ROOT, INPUTS), `${JSON.stringify({ setup, imports: sorted } satisfies RecordedInputs, null, 1)}\n`);
  console.log(`[mutate] recorded the hashes of ${Object.keys(sorted).length} imported files in ${INPUTS}`);
}

const args = process.argv.slice(2);
// --dry-run: say what would be tested again, and stop.
if (args.includes("--dry-run")) {
  await prepare(false, true);
  process.exit(0);
}
await prepare(args.includes("--force"), false);
const run = spawnSync(path.join(ROOT, "node_modules/.bin/stryker"), ["run", CONFIG, ...args], { cwd: ROOT, stdio: "inherit" });
if (run.status === 0) await record();
process.exit(run.status ?? 1);
