import { describe, expect, it } from "vitest";
import { buildGraceSection } from "../grace/grace-section.js";
import { fixtureGraceRun } from "../grace/grace-fixture.js";
import { validateJson } from "./json-schema.js";
import { compactCell, graceLossChart, graceShutdownChart, graceTable, shortCount } from "./render-grace.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderTerminal } from "./render-terminal.js";
import { fixtureReport } from "./report-fixture.js";
import type { MatrixReport } from "./report.js";
import { loadReportSchema } from "./write-report.js";

const DISK = "/dev/vda (ext4, virtio_blk, reported rotational) under /var/lib/docker/volumes";

function reportWithGrace(repetitions = 1): MatrixReport {
  return { ...fixtureReport(), grace: buildGraceSection(fixtureGraceRun(repetitions), DISK) };
}

describe("the grace section of report.json", () => {
  it.each([1, 2])("validates against report-schema.json, and stays optional (%i repetitions)", (repetitions) => {
    expect(validateJson(JSON.parse(JSON.stringify(reportWithGrace(repetitions))), loadReportSchema())).toEqual([]);
    expect(validateJson(JSON.parse(JSON.stringify(fixtureReport())), loadReportSchema())).toEqual([]);
  });

  it("refuses a grace section that lost a field or says something unknown about the final save", () => {
    const report = JSON.parse(JSON.stringify(reportWithGrace()));
    delete report.grace.shutdowns[0].recommendedGraceMs;
    report.grace.cells[0].runs[0].finalSave = "maybe";
    expect(validateJson(report, loadReportSchema())).toEqual([
      '$.grace.cells[0].runs[0].finalSave: "maybe" is not one of ["completed","interrupted","not-started"]',
      '$.grace.shutdowns[0]: missing required property "recommendedGraceMs"',
    ]);
  });
});

describe("the grace chart data", () => {
  const section = buildGraceSection(fixtureGraceRun(2), DISK);

  it("draws loss per grace within each dataset size, for one mode", () => {
    const chart = graceLossChart(section, "rdb");
    expect(chart.groups.map((g) => g.label)).toEqual(["64 MiB", "256 MiB"]);
    expect(chart.series.map((s) => s.name)).toEqual(["0 s", "1 s", "30 s"]);
    const at256 = chart.groups[1]?.bars ?? [];
    expect(at256.map((b) => `${b.series}: ${b.value} [${b.min}-${b.max}] ${b.label}`)).toEqual([
      "0 s: 9075 [9050-9100] 9.1k mid-save",
      "1 s: 9075 [9050-9100] 9.1k mid-save",
      "30 s: 0 [0-0] 0 saved",
    ]);
    expect([0, 950, 26_427, 297_114].map(shortCount)).toEqual(["0", "950", "26.4k", "297k"]);
  });

  it("draws the measured shutdown per size and marks the grace to give", () => {
    const chart = graceShutdownChart(section);
    expect(chart.groups[1]?.bars.map((b) => `${b.series} ${b.value} (${b.min}-${b.max})`)).toEqual(["rdb 2030 (2000-2060)", "rdb-aof 4830 (4800-4860)"]);
    expect(chart.markers).toContainEqual({ group: "256 MiB", value: 8_000, label: "rdb-aof, 256 MiB: give at least 8 s" });
  });

  it("tabulates a row per mode x size, a column per grace, the shutdown and the grace to give", () => {
    const { headers, rows } = graceTable(section, compactCell);
    expect(headers).toEqual(["mode", "dataset", "grace 0 s", "grace 1 s", "grace 30 s", "measured shutdown", "give at least"]);
    expect(rows[1]).toEqual(["rdb", "256 MiB", "killed mid-save, 9,075 lost", "killed mid-save, 9,075 lost", "saved 2 s, 0 lost", "2 s (2 s-2.1 s), 2 of 6 stops finished", "4 s"]);
  });
});

describe("the grace section in every rendering", () => {
  const report = reportWithGrace();

  it("terminal: the table, a recommendation per size, the rule and the disk", () => {
    const text = renderTerminal(report);
    expect(text).toMatch(/^Stop grace sweep \(7\.0\.15, 1 repetition\(s\)/m);
    expect(text).toMatch(/^rdb-aof\s+256 MiB\s+killed mid-save, 0 lost\s+killed mid-save, 0 lost\s+saved 4\.8 s, 0 lost\s+4\.8 s, 1 of 3 stops finished\s+8 s$/m);
    expect(text).toContain("for 256 MiB on this disk (rdb), give at least 3 s");
    expect(text).toContain(`Caveat: measured on ${DISK}`);
    expect(renderTerminal(fixtureReport())).not.toContain("Stop grace sweep");
  });

  it("markdown: whether the final save completed in every cell, and what was not swept", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("## Stop grace: how much does a dataset need?");
    expect(md).toContain("| rdb | 64 MiB | killed mid-save at 0 s: 9,050 lost (after the snapshot) | saved in 850 ms: none lost | saved in 850 ms: none lost | 850 ms, 2 of 3 stops finished | 2 s |");
    expect(md).toContain("- For 64 MiB on this disk (rdb), give at least 2 s: the slowest of 2 completed shutdowns took 850 ms, x 1.5.");
    expect(md).toMatch(/- \*\*aof-everysec\*\* not swept: no save points/);
  });

  it("html: a cell per stop with its final save, a loss chart per mode and the shutdown chart", () => {
    const html = renderHtml(report);
    expect(html).toContain('data-grace-cell="rdb 256 MiB 1 s" data-final-save="interrupted"');
    expect(html).toContain('data-grace-cell="rdb 256 MiB 30 s" data-final-save="completed"');
    expect(html.match(/<svg /g)).toHaveLength(3 + 3);
    expect(html).toContain("rdb: acknowledged writes lost per stop grace and dataset size");
    expect(renderHtml(fixtureReport())).not.toContain('id="grace"');
  });
});
