/**
 * `npm run mutate [-- --force | --dry-run | --retest-timeouts | --max-minutes N | --record-only | --only GLOBS | --recorded]`: StrykerJS over the
 * pure modules, incremental against the baseline committed in .ci/. Stryker re-tests a mutant when
 * its own code or the tests covering it changed, but it does not see the other modules those files
 * import (a changed helper, mutated or not, can turn a killed mutant into a survivor), nor the files
 * the tests read from disk. So before each run this drops from the baseline every mutated file and
 * test file whose imports (followed with esbuild, as the tests load them) changed since the baseline
 * was recorded, and every one that reads files when a data file changed: their mutants are tested
 * again. After a run that passed the threshold it records the hashes as they were when the run
 * began. A changed Stryker, vitest or TypeScript setup invalidates the whole baseline: then it stops
 * and says to record it again with --force.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = "scripts/stryker.config.mjs";
const BASELINE = ".ci/stryker-incremental.json";
const INPUTS = ".ci/stryker-inputs.json";
// What decides every result at once: which mutants exist, how they are checked and run. The Stryker
// config counts by its options (a comment does not change a result), the others by their bytes.
const SETUP = [CONFIG, "scripts/vitest.mutate.config.ts", "scripts/tsconfig.mutate.json", "tsconfig.json", "package-lock.json"];
// Files the tests and the mutated modules read from disk (configs, stock redis.conf fixtures): not imports.
const DATA_DIRS = ["configs/", "harness/"];
const READS_DISK = /\b(readFileSync|readFile|readdirSync|readdir)\b/;
const RECORD_VERSION = 2;

/** What a recorded baseline's results rest on besides the files Stryker diffs itself. */
interface RecordedInputs {
  version?: number;
  setup: Record<string, string>;
  /** Every project file the mutated files and the tests import, the mutated and test files among them. */
  imports: Record<string, string>;
  /** Every data file under DATA_DIRS (what is not TypeScript). */
  data?: Record<string, string>;
}

/** The part of Stryker's incremental report this reads and edits. */
interface IncrementalReport {
  files: Record<string, { mutants?: { status?: string; coveredBy?: string[]; killedBy?: string[] }[] }>;
  testFiles?: Record<string, { source?: string; tests?: { id: string }[] } | undefined>;
}

const hashOfFile = (file: string): string | undefined => (existsSync(path.join(ROOT, file)) ? createHash("sha256").update(readFileSync(path.join(ROOT, file))).digest("hex") : undefined);
const relative = (file: string): string => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join("/");

// Every file as it was when this run began: what the run's results rest on, so recorded after it.
const snapshot = new Map<string, string | undefined>();
const hashOf = (file: string): string | undefined => {
  if (!snapshot.has(file)) snapshot.set(file, hashOfFile(file));
  return snapshot.get(file);
};

// The Stryker config's options, read afresh each time (a query defeats the module cache).
async function strykerOptions(): Promise<{ mutate: string[] }> {
  const url = `${pathToFileURL(path.join(ROOT, CONFIG)).href}?read=${Date.now()}-${Math.random()}`;
  return ((await import(url)) as { default: { mutate: string[] } }).default;
}

// The Stryker config by its options.
async function setupHash(file: string, hash: (file: string) => string | undefined): Promise<string> {
  if (file !== CONFIG) return hash(file) ?? "absent";
  return createHash("sha256").update(JSON.stringify(await strykerOptions())).digest("hex");
}

async function setupHashes(hash: (file: string) => string | undefined = hashOf): Promise<Record<string, string>> {
  const entries: [string, string][] = [];
  for (const file of SETUP) entries.push([file, await setupHash(file, hash)]);
  return Object.fromEntries(entries);
}

// The project's files (tracked or new, not ignored) under the given folders.
function projectFiles(dirs: string[]): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", ...dirs], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\n").filter((f) => f !== "");
}

function dataFiles(): string[] {
  return projectFiles(DATA_DIRS)
    .filter((f) => !f.endsWith(".ts"))
    .sort();
}

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

function refuse(message: string): never {
  console.error(`[mutate] ${message}\n         Record it again: npm run mutate -- --force (about an hour on 2 cores), and commit .ci/stryker-*.json.`);
  process.exit(2);
}

async function prepare(force: boolean, dryRun: boolean, retestTimeouts: boolean): Promise<void> {
  const report = readBaseline();
  if (!report) {
    console.log(`[mutate] no baseline in ${BASELINE}: every mutant is tested (about an hour on 2 cores)`);
    return;
  }
  if (force) return;
  if (!existsSync(path.join(ROOT, INPUTS))) refuse(`${BASELINE} has no recorded inputs (${INPUTS}): nothing says what its results rest on.`);
  const recorded = JSON.parse(readFileSync(path.join(ROOT, INPUTS), "utf8")) as RecordedInputs;
  if (recorded.version !== RECORD_VERSION) refuse(`${INPUTS} was recorded by another version of scripts/mutate.ts.`);
  const setup = await setupHashes();
  const setupChanged = SETUP.filter((f) => recorded.setup[f] !== setup[f]);
  if (setupChanged.length > 0) refuse(`the baseline in ${BASELINE} was recorded with another ${setupChanged.join(", ")}: every result in it may differ now.`);
  const { mutated, tests } = entriesOf(report);
  const closures = await importsOf([...mutated, ...tests].filter((f) => existsSync(path.join(ROOT, f))));
  const changed = new Set<string>();
  // Everything an entry loads counts, mutated modules and tests included, except the entry itself (Stryker diffs that).
  for (const [entry, inputs] of closures) for (const input of inputs) if (input !== entry && recorded.imports[input] !== hashOf(input)) changed.add(input);
  const dataChanged = [...new Set([...dataFiles(), ...Object.keys(recorded.data ?? {})])].filter((f) => recorded.data?.[f] !== hashOf(f));
  const stale = new Set([...closures].filter(([entry, inputs]) => inputs.some((i) => i !== entry && changed.has(i))).map(([entry]) => entry));
  if (dataChanged.length > 0) for (const entry of closures.keys()) if (READS_DISK.test(readFileSync(path.join(ROOT, entry), "utf8"))) stale.add(entry);
  const byRelative = (record: Record<string, unknown> | undefined, file: string): string | undefined => Object.keys(record ?? {}).find((k) => relative(k) === file);
  for (const entry of stale) {
    const mutatedKey = byRelative(report.files, entry);
    if (mutatedKey !== undefined) delete report.files[mutatedKey];
    const testKey = byRelative(report.testFiles, entry);
    if (testKey !== undefined && report.testFiles) delete report.testFiles[testKey];
  }
  // A timeout on a loaded machine may be a slow mutant, not a loop: dropped, it is tested again.
  let timeouts = 0;
  for (const file of Object.values(report.files)) {
    timeouts += (file.mutants ?? []).filter((m) => m.status === "Timeout").length;
    if (retestTimeouts && file.mutants) file.mutants = file.mutants.filter((m) => m.status !== "Timeout");
  }
  if (!dryRun) writeFileSync(path.join(ROOT, BASELINE), JSON.stringify(report));
  const list = [...changed, ...dataChanged].sort();
  console.log(
    list.length === 0
      ? `[mutate] baseline ${BASELINE}: nothing the mutated files and tests load or read changed since it was recorded`
      : `[mutate] ${list.length} file(s) the mutated files and tests load or read changed since the baseline (${list.slice(0, 5).join(", ")}${list.length > 5 ? ", ..." : ""}): ` +
          `the mutants of ${[...stale].filter((s) => mutated.includes(s)).length} mutated file(s) and those covered by ${[...stale].filter((s) => tests.includes(s)).length} test file(s) are tested again`,
  );
  console.log(`[mutate] the baseline holds ${timeouts} timed-out mutant(s)${retestTimeouts ? ": tested again" : " (kept; --retest-timeouts tests them again)"}`);
}

async function record(): Promise<void> {
  const report = readBaseline();
  if (!report) return;
  const { mutated, tests } = entriesOf(report);
  const imports: Record<string, string> = {};
  for (const inputs of (await importsOf([...mutated, ...tests].filter((f) => existsSync(path.join(ROOT, f))))).values()) {
    for (const input of inputs) {
      const hash = hashOf(input);
      if (hash !== undefined) imports[input] = hash;
    }
  }
  const data: Record<string, string> = {};
  for (const file of dataFiles()) {
    const hash = hashOf(file);
    if (hash !== undefined) data[file] = hash;
  }
  const sorted = Object.fromEntries(Object.entries(imports).sort(([a], [b]) => a.localeCompare(b)));
  const inputs: RecordedInputs = { version: RECORD_VERSION, setup: await setupHashes(), imports: sorted, data };
  writeFileSync(path.join(ROOT, INPUTS), `${JSON.stringify(inputs, null, 1)}\n`);
  console.log(`[mutate] recorded the hashes of ${Object.keys(sorted).length} loaded and ${Object.keys(data).length} data files, as they were when the run began, in ${INPUTS}`);
}

/**
 * After a run of some of the files (--only): Stryker wrote a report of those alone, so the results
 * of the other files are taken back from the baseline as it was before the run. They rest on the
 * tests as recorded there: a file with a mutant covered by a test file that changed since (the run
 * recorded its new text) could have its results reused against tests they were never run with, so
 * such a file is dropped instead, to be tested again.
 */
function mergeChunk(before: IncrementalReport | undefined): void {
  const chunk = readBaseline();
  if (!before || !chunk) return;
  const changedTests = Object.entries(before.testFiles ?? {}).filter(([file, test]) => chunk.testFiles?.[file] !== undefined && chunk.testFiles[file]?.source !== test?.source);
  const changedIds = new Set(changedTests.flatMap(([, test]) => (test?.tests ?? []).map((t) => t.id)));
  const others = Object.keys(before.files).filter((file) => chunk.files[file] === undefined);
  const restsOnChanged = (file: string) => (before.files[file]?.mutants ?? []).some((m) => [...(m.coveredBy ?? []), ...(m.killedBy ?? [])].some((id) => changedIds.has(id)));
  const dropped = others.filter(restsOnChanged);
  for (const file of others) if (!dropped.includes(file)) chunk.files[file] = before.files[file] as IncrementalReport["files"][string];
  for (const [file, test] of Object.entries(before.testFiles ?? {})) if (chunk.testFiles && chunk.testFiles[file] === undefined) chunk.testFiles[file] = test;
  console.log(
    `[mutate] kept the recorded results of ${others.length - dropped.length} file(s) outside --only` +
      (dropped.length > 0 ? `; dropped ${dropped.length} (${dropped.map(relative).slice(0, 3).join(", ")}): tests covering them changed (${changedTests.map(([f]) => relative(f)).slice(0, 3).join(", ")})` : ""),
  );
  writeFileSync(path.join(ROOT, BASELINE), JSON.stringify(chunk));
}

function onlyGlobs(args: string[]): string | undefined {
  const at = args.indexOf("--only");
  if (at < 0) return undefined;
  const globs = args[at + 1];
  if (globs === undefined || globs.startsWith("--")) {
    console.error("[mutate] --only needs the files to mutate, comma-separated globs, e.g. --only harness/checkers/loss.ts,harness/gate/hazards.ts");
    process.exit(2);
  }
  args.splice(at, 2);
  return globs;
}

// The config's globs (`**/`, `*`) as Stryker reads them; node's path.matchesGlob is experimental on Node 20.
const matchesGlob = (file: string, glob: string): boolean => {
  const pattern = glob
    .split("**/")
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join("(?:.*/)?");
  return new RegExp(`^${pattern}$`).test(file);
};

// The mutated files the baseline holds, as --only globs; names the files of the config's set it does not hold yet.
async function recordedGlobs(args: string[]): Promise<string> {
  args.splice(args.indexOf("--recorded"), 1);
  const report = readBaseline();
  if (!report || Object.keys(report.files).length === 0) {
    console.error(`[mutate] --recorded needs a baseline in ${BASELINE}: record one with npm run mutate -- --only GLOBS`);
    process.exit(2);
  }
  const recorded = entriesOf(report).mutated.sort();
  const config = await strykerOptions();
  const include = config.mutate.filter((g) => !g.startsWith("!"));
  const exclude = config.mutate.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  const inSet = projectFiles(["harness/", "configs/"]).filter((f) => include.some((g) => matchesGlob(f, g)) && !exclude.some((g) => matchesGlob(f, g)));
  const missing = inSet.filter((f) => !recorded.includes(f));
  console.log(
    `[mutate] --recorded: the ${recorded.length} file(s) the baseline holds` +
      (missing.length > 0 ? `; ${missing.length} file(s) of the mutate set have no recorded results yet and are not tested (${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", ..." : ""})` : ""),
  );
  return recorded.join(",");
}

// Runs Stryker in a process group of its own, so that a time limit or Ctrl-C ends its test runners
// and checkers with it; resolves with its exit code, or "timeout".
function runStryker(strykerArgs: string[], limitMs: number | undefined): Promise<number | "timeout"> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/stryker"), ["run", CONFIG, ...strykerArgs], { cwd: ROOT, stdio: "inherit", detached: true });
    const endGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    // SIGTERM first, so that Stryker removes its sandbox; SIGKILL if it has not ended 10 s later.
    const stop = (signal: NodeJS.Signals) => {
      endGroup(signal);
      killTimer ??= setTimeout(() => endGroup("SIGKILL"), 10_000);
    };
    const timer = limitMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop("SIGTERM")), limitMs);
    const onInterrupt = () => stop("SIGINT");
    process.once("SIGINT", onInterrupt);
    process.once("SIGTERM", onInterrupt);
    child.on("exit", (code) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onInterrupt);
      resolve(timedOut ? "timeout" : (code ?? 1));
    });
  });
}

function minutesLimit(args: string[]): number | undefined {
  const at = args.indexOf("--max-minutes");
  if (at < 0) return undefined;
  const minutes = Number(args[at + 1]);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
    console.error(`[mutate] --max-minutes needs a number of minutes between 1 and 1440, e.g. --max-minutes 20 (got ${args[at + 1] ?? "nothing"})`);
    process.exit(2);
  }
  args.splice(at, 2);
  return minutes;
}

const args = process.argv.slice(2);
// Every file the run may rest on, as it is now: what record() writes after the run, whatever changed meanwhile.
for (const file of [...SETUP, ...projectFiles(["harness/", "configs/", "suites/", "scripts/", "app-under-test/"])]) hashOf(file);
// --record-only: record the inputs of the baseline as the files are now, without a run (for a
// baseline that another process made from exactly these files, e.g. in a worktree of its commit).
if (args.includes("--record-only")) {
  await record();
  process.exit(0);
}
// --max-minutes N: a CI step's bound; a baseline that went stale enough to need longer fails the step
// instead of the whole run's time.
const limit = minutesLimit(args);
// --only GLOBS: test some of the files now (a baseline recorded in parts, a run at a time); the
// other files keep what the baseline holds for them. --recorded: the files the baseline holds (the
// CI step), read before prepare() drops stale ones, so that those are tested again, not left out.
const only = args.includes("--recorded") ? await recordedGlobs(args) : onlyGlobs(args);
// --dry-run: say what would be tested again, and stop.
if (args.includes("--dry-run")) {
  await prepare(false, true, args.includes("--retest-timeouts"));
  process.exit(0);
}
const retestTimeouts = args.includes("--retest-timeouts");
await prepare(args.includes("--force") && only === undefined, false, retestTimeouts);
const beforeChunk = only === undefined ? undefined : readBaseline();
const setupAtStart = await setupHashes(hashOfFile);
const outcome = await runStryker(
  [...args.filter((a) => a !== "--retest-timeouts"), ...(only === undefined ? [] : ["--mutate", only])],
  limit === undefined ? undefined : limit * 60_000,
);
if (outcome === "timeout") {
  console.error(
    `[mutate] stopped after ${limit} min: too many mutants had to be tested again (the baseline in ${BASELINE} is stale for the code it covers).\n` +
      "         Record it again: npm run mutate -- --force, and commit .ci/stryker-*.json.",
  );
  process.exit(2);
}
if (outcome === 0) {
  // The setup must not have changed under the run either.
  const setupAtEnd = await setupHashes(hashOfFile);
  if (SETUP.some((f) => setupAtEnd[f] !== setupAtStart[f])) refuse("the Stryker, vitest or TypeScript setup changed while the run went on: its results are not recorded.");
  if (only !== undefined) mergeChunk(beforeChunk);
  await record();
}
process.exit(outcome);
