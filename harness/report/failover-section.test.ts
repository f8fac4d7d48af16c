import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import type { MatrixRun } from "./build-report.js";
import { buildReport } from "./build-report.js";
import { documentedBounds } from "./documented-bounds.js";
import { fixtureRun } from "./report-fixture.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";

// One mode under one failover fault with both ack policies: the cells differ only by `acks`.
function failoverRun(): MatrixRun {
  const run = fixtureRun();
  const base = run.cells.find((c) => c.mode.mode === "aof-everysec" && c.fault.name === "sigkill");
  if (!base) throw new Error("no fixture cell");
  const fault = { ...base.fault, name: "primary-partition", description: "cut the primary off from its replicas and the Sentinels" };
  const withLoss = (acks: string, lost: number) => ({
    ...base,
    fault,
    topology: "sentinel" as const,
    acks,
    results: base.results.map((r) => ({ ...r, fault: fault.name, acks, topology: "sentinel" as const, verdict: { ...r.verdict, figures: { ...r.verdict.figures, lostAcknowledged: lost, lossWindowMs: lost > 0 ? 3_200 : 0 } } })),
  });
  return { ...run, cells: [withLoss("reply", 766), withLoss("wait-1", 0)] };
}

describe("the failover section of the report", () => {
  const report = buildReport([failoverRun()], { maxLossMs: 1_000, minOpsPerSecond: 5_000 }, documentedBounds([MODES["aof-everysec"]]), { name: "redis-persistence", version: "0.0.0-test" }, new Date("2026-01-01T00:00:00Z"));

  it("shows every ack policy of a mode and fault side by side in the HTML, not the first one found", () => {
    const html = renderHtml(report);
    const section = html.slice(html.indexOf('<section id="failover">'), html.indexOf("</section>", html.indexOf('<section id="failover">')));
    expect(section).toContain("<th scope=\"col\">acks reply</th><th scope=\"col\">acks wait-1</th>");
    expect(section).toContain('data-cell="aof-everysec x primary-partition x acks reply"');
    expect(section).toContain('data-cell="aof-everysec x primary-partition x acks wait-1"');
    expect(section).toMatch(/766 lost/);
    expect(section).toMatch(/nothing lost/);
    expect(section).toContain("WAIT 1");
  });

  it("explains the failover figures in the Markdown too", () => {
    expect(renderMarkdown(report)).toContain("Failover cells (a primary, two replicas, three Sentinels");
  });
});
