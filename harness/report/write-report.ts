import { mkdir, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Schema } from "./json-schema.js";
import { validateJson } from "./json-schema.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import type { MatrixReport } from "./report.js";

/** The three files of a report. */
export interface ReportFiles {
  json: string;
  markdown: string;
  html: string;
}

/** report-schema.json, parsed. */
export function loadReportSchema(): Schema {
  return JSON.parse(readFileSync(new URL("./report-schema.json", import.meta.url), "utf8")) as Schema;
}

/** Writes report.json, report.md and report.html into `dir` (created if missing); returns their paths and any schema violations. */
export async function writeReport(report: MatrixReport, dir: string): Promise<{ files: ReportFiles; schemaErrors: string[] }> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = { json: path.join(dir, "report.json"), markdown: path.join(dir, "report.md"), html: path.join(dir, "report.html") };
  await Promise.all([
    writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(files.markdown, renderMarkdown(report)),
    writeFile(files.html, renderHtml(report)),
  ]);
  // Written anyway: a long run's figures are worth keeping even if a field came out wrong.
  return { files, schemaErrors: validateJson(JSON.parse(JSON.stringify(report)), loadReportSchema()) };
}
