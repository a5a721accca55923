import { writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { count, seconds } from "./format.js";
import { renderHtml } from "./html.js";
import { isRunFolder } from "./load.js";
import { renderMarkdown } from "./markdown.js";
import { writeRunReport } from "./runReport.js";
import type { Cell, ReportView } from "./view.js";

/** One scenario's outcome, as the scenario runner hands it over. */
export interface ScenarioResult {
  name: string;
  /** The scenario file it came from. */
  file: string;
  passed: boolean;
  durationMs: number;
  failures: { expectation: string; expected: unknown; actual: unknown }[];
  /** The scenario's run folder (its own report goes there). */
  runDir: string;
}

/**
 * Writes each scenario's run report (when its runDir is a run folder) and then the suite's
 * `report.html` and `report.md` in `outDir`: a table of scenarios linking to their reports, and every failed expectation.
 */
export async function writeSuiteReport(outDir: string, results: readonly ScenarioResult[]): Promise<{ html: string; markdown: string }> {
  const reportDirs: (string | undefined)[] = [];
  for (const result of results) {
    const hasRun = isRunFolder(result.runDir);
    if (hasRun) await writeRunReport(result.runDir);
    reportDirs.push(hasRun ? relative(outDir, result.runDir).split(sep).join("/") || "." : undefined);
  }
  const view = suiteReportView(results, reportDirs);
  const html = join(outDir, "report.html");
  const markdown = join(outDir, "report.md");
  writeFileSync(html, renderHtml(view));
  writeFileSync(markdown, renderMarkdown(view));
  return { html, markdown };
}

/** The view of a suite's report; `reportDirs[i]` is scenario i's run folder relative to the suite's, if it has one. */
function suiteReportView(results: readonly ScenarioResult[], reportDirs: readonly (string | undefined)[]): ReportView {
  const failed = results.filter((result) => !result.passed);
  const totalMs = results.reduce((sum, result) => sum + result.durationMs, 0);
  return {
    title: "tradeguard scenario suite",
    headline: [`${count(results.length - failed.length)} of ${count(results.length)} scenarios passed in ${seconds(totalMs)}.`],
    verdict: failed.length === 0
      ? { tone: "good", text: `All ${results.length} scenarios passed.` }
      : { tone: "bad", text: `${failed.length} of ${results.length} scenarios failed: ${failed.map((result) => result.name).join(", ")}.` },
    sections: [
      {
        id: "scenarios",
        title: "Scenarios",
        paragraphs: [],
        table: {
          headers: ["Scenario", "File", "Result", "Time", "Report"],
          rows: results.map((result, i): Cell[] => [
            result.name,
            result.file,
            { text: result.passed ? "PASS" : "FAIL", tone: result.passed ? "good" : "bad" },
            seconds(result.durationMs),
            reportDirs[i] === undefined ? "—" : { text: "report", reportDir: reportDirs[i] },
          ]),
        },
      },
      {
        id: "failures",
        title: "Failed expectations",
        paragraphs: failed.length === 0 ? ["None."] : [],
        ...(failed.length ? { table: { headers: ["Scenario", "Expectation", "Expected", "Actual"], rows: failed.flatMap(failureRows) } } : {}),
      },
    ],
  };
}

function failureRows(result: ScenarioResult): Cell[][] {
  if (result.failures.length === 0) return [[result.name, "(failed without a recorded expectation)", "", ""]];
  return result.failures.map((failure) => [result.name, failure.expectation, show(failure.expected), show(failure.actual)]);
}

function show(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}
