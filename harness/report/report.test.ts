import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import { PROCESS_FAULTS } from "../faults/index.js";
import { parseBenchmarkCsv } from "./baseline.js";
import { validateJson } from "./json-schema.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderTerminal } from "./render-terminal.js";
import { buildReport } from "./build-report.js";
import { documentedBounds } from "./documented-bounds.js";
import { fixtureReport, fixtureRun, fixtureVersionsReport } from "./report-fixture.js";
import { estimateRemainingMs } from "./run-matrix.js";
import { statOf } from "./stats.js";
import { loadReportSchema } from "./write-report.js";

const everyCell = Object.keys(MODES).flatMap((mode) => Object.keys(PROCESS_FAULTS).map((fault) => `${mode} x ${fault}`));

describe("report.json", () => {
  it.each([1, 3])("validates against report-schema.json (%i repetitions)", (repetitions) => {
    const report = JSON.parse(JSON.stringify(fixtureReport(repetitions)));
    expect(validateJson(report, loadReportSchema())).toEqual([]);
  });

  it("fails validation when a field goes missing or changes type", () => {
    const report = JSON.parse(JSON.stringify(fixtureReport()));
    delete report.cells[0].figures.lossWindowMs;
    report.run.repetitions = "1";
    expect(validateJson(report, loadReportSchema())).toEqual([
      "$.run.repetitions: expected integer, got string",
      '$.cells[0].figures: missing required property "lossWindowMs"',
    ]);
  });

  it("validates on two versions: every cell names its image and server version, the comparison lists the changed cells", () => {
    const report = fixtureVersionsReport();
    expect(validateJson(JSON.parse(JSON.stringify(report)), loadReportSchema())).toEqual([]);
    expect(report.schemaVersion).toBe(4);
    expect(report.versions.map((v) => `${v.id} ${v.serverVersion}`)).toEqual(["6.0 6.0.16", "8.0 8.0.2"]);
    expect(report.cells).toHaveLength(60);
    expect(report.cells.find((c) => c.version === "8.0")).toMatchObject({ image: "localhost/redis-persistence/redis-debian:trixie", serverVersion: "8.0.2" });
    expect(report.comparison?.changed.map((c) => `${c.mode} x ${c.fault}: ${c.from} -> ${c.to}`)).toEqual([
      "aof-everysec x sigkill: 6.0 -> 8.0",
      "rdb-aof x short-grace: 6.0 -> 8.0",
    ]);
    expect(fixtureReport().comparison).toBeNull();
  });

  it("refuses a two-version report whose comparison lost a field", () => {
    const report = JSON.parse(JSON.stringify(fixtureVersionsReport()));
    delete report.comparison.changed[0].changes[0].text;
    delete report.cells[3].serverVersion;
    expect(validateJson(report, loadReportSchema())).toEqual([
      '$.cells[3]: missing required property "serverVersion"',
      "$.comparison: matches 0 of the oneOf alternatives, expected exactly 1",
    ]);
  });

  it("keeps min, median and max over repetitions, and flags disagreeing verdicts", () => {
    const report = fixtureReport(3);
    const rdbSigkill = report.cells.find((c) => c.mode === "rdb" && c.fault === "sigkill");
    expect(rdbSigkill?.figures.lossWindowMs).toEqual({ n: 3, min: 1020, median: 1035, max: 1050 });
    expect(rdbSigkill?.consistent).toBe(true);
  });
});

describe("recommendation", () => {
  it("for 1 s and 5k/s: only modes whose documented bound is within 1 s qualify, the power-safe one first", () => {
    const rec = fixtureReport().recommendation;
    expect(rec.qualifying).toEqual(["aof-always", "aof-no"]);
    expect(rec.choice).toBe("aof-always");
    expect(rec.excludedFaults.map((e) => e.fault)).toEqual(["recreate-without-volume"]);
    expect(rec.modes.find((m) => m.mode === "aof-everysec")?.reasons[0]).toMatch(/documented worst case 2 s exceeds 1 s/);
    expect(rec.modes.find((m) => m.mode === "aof-no")?.reasons.join(" ")).toMatch(/power cut/);
  });

  it("for 3 s and 10k/s: held to redis-benchmark's rate on the same server (17k/s in the fixture), aof-always qualifies too, and says whose rate", () => {
    const rec = fixtureReport(1, { maxLossMs: 3_000, minOpsPerSecond: 10_000 }).recommendation;
    expect(rec.qualifying).toEqual(["aof-everysec", "aof-always", "aof-no", "rdb-aof"]);
    const always = rec.modes.find((m) => m.mode === "aof-always");
    expect([always?.rateSource, always?.opsPerSecond]).toEqual(["redis-benchmark", 17_000]);
    expect(always?.reasons.join(" ")).toMatch(/17k\/s \(redis-benchmark; the harness writers reached 5\.3k\/s\) meets 10k\/s/);
  });

  it("without a baseline, held to the harness writers' rate, called a lower bound: aof-always is too slow", () => {
    const run = { ...fixtureRun(1), baseline: null };
    const rec = buildReport([run], { maxLossMs: 3_000, minOpsPerSecond: 10_000 }, documentedBounds(Object.values(MODES)), { name: "t", version: "0" }).recommendation;
    expect(rec.qualifying).toEqual(["aof-everysec", "aof-no", "rdb-aof"]);
    const always = rec.modes.find((m) => m.mode === "aof-always");
    expect(always?.rateSource).toBe("harness");
    expect(always?.reasons.join(" ")).toMatch(/the harness writers' rate, a lower bound: no redis-benchmark baseline on the cells' setup\) is below the 10k\/s needed/);
  });

  describe("whose rate, over several versions", () => {
    const need = { maxLossMs: 3_000, minOpsPerSecond: 10_000 };
    const bounds = documentedBounds(Object.values(MODES));
    const twoVersions = (benchmark: Record<string, number | undefined>, otherSetup = false) =>
      [
        fixtureRun(1, { version: "6.0", image: "i60", serverVersion: "6.0.16" }),
        fixtureRun(1, { version: "8.0", image: "i80", serverVersion: "8.0.2" }),
      ].map((run) => {
        const rate = benchmark[run.version];
        const modes = (run.baseline?.modes ?? []).filter((m) => m.mode !== "aof-always" || rate !== undefined).map((m) => (m.mode === "aof-always" ? { ...m, benchmarkOpsPerSecond: rate ?? 0, ...(otherSetup ? { otherSetup: true as const } : {}) } : m));
        return { ...run, baseline: run.baseline && { ...run.baseline, modes } };
      });
    const always = (benchmark: Record<string, number | undefined>, otherSetup = false) =>
      buildReport(twoVersions(benchmark, otherSetup), need, bounds, { name: "t", version: "0" }).recommendation.modes.find((m) => m.mode === "aof-always");

    it("holds a mode to its slowest version, not to the median of all", () => {
      const m = always({ "6.0": 5_000, "8.0": 17_000 });
      expect([m?.qualifies, m?.opsPerSecond, m?.rateSource]).toEqual([false, 5_000, "redis-benchmark"]);
      expect(m?.reasons.join(" ")).toMatch(/5k\/s \(redis-benchmark on 6\.0, the slowest version/);
    });

    it("uses a version's own writers' rate where its redis-benchmark is missing or 0, and then calls the source the writers'", () => {
      for (const missing of [undefined, 0]) {
        const m = always({ "6.0": missing, "8.0": 17_000 });
        expect([m?.qualifies, m?.rateSource]).toEqual([false, "harness"]);
        expect(m?.opsPerSecond).toBeLessThan(10_000);
      }
      expect(always({ "6.0": 17_000, "8.0": 16_000 })?.qualifies).toBe(true);
    });

    it("ignores a redis-benchmark run on another setup than the cells' (a deployed row's baseline on a plain volume)", () => {
      expect(always({ "6.0": 17_000, "8.0": 17_000 }, true)?.rateSource).toBe("harness");
    });
  });

  it("says so when nothing qualifies", () => {
    expect(fixtureReport(1, { maxLossMs: 0, minOpsPerSecond: 50_000 }).recommendation.summary).toMatch(/no mode qualifies/);
  });
});

describe("renderings", () => {
  const report = fixtureReport(3);

  it("the HTML page shows every cell, is self-contained and runs no script", () => {
    const html = renderHtml(report);
    for (const cell of everyCell) expect(html).toContain(`data-cell="${cell}"`);
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(3);
  });

  it("Markdown and the terminal table have one row per cell", () => {
    expect(renderMarkdown(report).split("\n").filter((l) => /^\| (none|rdb|aof|rdb-aof)/.test(l)).length).toBeGreaterThanOrEqual(30);
    const terminal = renderTerminal(report);
    for (const cell of everyCell) expect(terminal).toMatch(new RegExp(`^${cell.replace(" x ", "\\s+")}\\s`, "m"));
  });
});

describe("renderings of two versions", () => {
  const report = fixtureVersionsReport();

  it("the HTML page puts the versions side by side and outlines exactly the changed cells", () => {
    const html = renderHtml(report);
    for (const cell of everyCell) for (const version of ["6.0", "8.0"]) expect(html).toContain(`data-cell="${cell} on ${version}"`);
    expect([...html.matchAll(/class="cell [a-z]+ changed" data-cell="([^"]+)"/g)].map((m) => m[1])).toEqual(["aof-everysec x sigkill on 8.0", "rdb-aof x short-grace on 8.0"]);
    expect(html).toContain("Redis 6.0.16 vs Redis 8.0.2");
    expect(html).toContain("max(250 ms, 50 % of the larger window)");
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(3);
  });

  it("Markdown and the terminal show a column per version, the changed cells marked, and the rule", () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("| mode | fault | Redis 6.0.16 | Redis 8.0.2 | what changed |");
    expect(markdown).toContain("| aof-everysec | sigkill | valid, none lost | **valid, 1,200 lost (900 ms)** | Redis 6.0.16 -> Redis 8.0.2: lost none -> 1,200, loss window 0 ms -> 900 ms |");
    expect(markdown).toContain("| rdb | sigkill | valid, 7,000 lost (1 s) | valid, 7,000 lost (1.2 s) |  |");
    expect(markdown).toMatch(/\| rdb-aof \| short-grace \| Redis 8\.0\.2 \| VIOLATED \|/);
    const terminal = renderTerminal(report);
    expect(terminal).toMatch(/^rdb-aof\s+short-grace\s+valid, none lost\s+\* VIOLATED, 4,000 lost \(2\.6 s\)/m);
    expect(terminal).toContain("2 change(s) between versions, marked *.");
  });

  it("says so when nothing changed, and leaves out the empty column", () => {
    const same = buildReport(
      [fixtureRun(1, { version: "7.0", image: "bookworm", serverVersion: "7.0.15" }), fixtureRun(1, { version: "8.0", image: "trixie", serverVersion: "8.0.2" })],
      { maxLossMs: 1_000, minOpsPerSecond: 5_000 },
      documentedBounds(Object.values(MODES)),
      { name: "redis-persistence", version: "0.0.0-test" },
    );
    expect(same.comparison?.changed).toEqual([]);
    const markdown = renderMarkdown(same);
    expect(markdown).toContain("| mode | fault | Redis 7.0.15 | Redis 8.0.2 |\n");
    expect(markdown).toContain("No cell changed between versions, by the rule above.");
    expect(renderHtml(same)).not.toContain("what changed");
  });
});

describe("small parts", () => {
  it("statOf takes the middle of an even count as the mean of the two", () => {
    expect(statOf([4, 1, 3, 2])).toEqual({ n: 4, min: 1, median: 2.5, max: 4 });
  });

  it("estimates what is left from the same fault's cases when there are some", () => {
    const done = [
      { fault: "sigkill", durationMs: 3_000 },
      { fault: "short-grace", durationMs: 12_000 },
    ];
    const upcoming = [
      { fault: "sigkill", extraMiB: 0 },
      { fault: "short-grace", extraMiB: 448 },
      { fault: "graceful-stop", extraMiB: 0 },
      { fault: "recreate-same-volume", extraMiB: 100 },
    ];
    expect(estimateRemainingMs(done, upcoming)).toBe(3_000 + 12_000 + 7_500 + 7_500 + 2_000);
    expect(estimateRemainingMs([], upcoming)).toBe(0);
  });

  it("reads redis-benchmark's CSV, with and without latency columns", () => {
    const v7 = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\n"SET","8413.97","0.461","0.032","0.159","1.599","7.871","67.135"\n';
    expect(parseBenchmarkCsv(v7)).toEqual({ opsPerSecond: 8414, p50Ms: 0.159 });
    expect(parseBenchmarkCsv('"SET","12000.00"\n')).toEqual({ opsPerSecond: 12000, p50Ms: null });
    expect(() => parseBenchmarkCsv("Could not connect to Redis at 127.0.0.1:1: Connection refused\n")).toThrow(/printed no SET figures/);
  });
});
