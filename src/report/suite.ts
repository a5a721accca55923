import { writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { count, seconds } from "./format.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import type { Cell, ReportView } from "./view.js";

/** One scenario's outcome, as the scenario runner hands it over. */
export interface ScenarioResult {
  name: string;
  /** The scenario file it came from. */
  file: string;
  passed: boolean;
  durationMs: number;
  failures: { expectation: string; expected: unknown; actual: unknown; date?: string; trail?: string[] }[];
  /** The scenario's run folder (its own report goes there). */
  runDir: string;
  /** True when the scenario's own report was written in its run folder (not with `--no-report`, nor for a run that never started). */
  hasReport?: boolean;
}

/**
 * Writes the suite's `report.html` and `report.md` in `outDir`: a table of scenarios linking to the reports their
 * runs wrote (each scenario renders its own as it finishes, beside the scenarios still running), and every failed
 * expectation.
 */
export function writeSuiteReport(outDir: string, results: readonly ScenarioResult[], options: { wallMs?: number } = {}): { html: string; markdown: string } {
  const reportDirs = results.map((result) => (result.hasReport ? relative(outDir, result.runDir).split(sep).join("/") || "." : undefined));
  const view = suiteReportView(results, reportDirs, options.wallMs);
  const html = join(outDir, "report.html");
  const markdown = join(outDir, "report.md");
  writeFileSync(html, renderHtml(view));
  writeFileSync(markdown, renderMarkdown(view));
  return { html, markdown };
}

/** The view of a suite's report; `reportDirs[i]` is scenario i's run folder relative to the suite's, if it has one. */
/** Event-trail lines shown per failed expectation, as many as the terminal prints. */
const MAX_TRAIL_LINES = 40;

function suiteReportView(results: readonly ScenarioResult[], reportDirs: readonly (string | undefined)[], wallMs?: number): ReportView {
  const failed = results.filter((result) => !result.passed);
  // The wall time the terminal prints; the sum of scenario times only when it is not known (scenarios run in parallel).
  const totalMs = wallMs ?? results.reduce((sum, result) => sum + result.durationMs, 0);
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
        ...(failed.length ? { table: { headers: ["Scenario", "Expectation", "Expected", "Actual", "Events around"], rows: failed.flatMap(failureRows) } } : {}),
      },
    ],
  };
}

function failureRows(result: ScenarioResult): Cell[][] {
  if (result.failures.length === 0) return [[result.name, "(failed without a recorded expectation)", "", "", ""]];
  return result.failures.map((failure) => [result.name, failure.expectation, show(failure.expected), show(failure.actual), trailCell(failure)]);
}

/** The same "events around DATE" lines the terminal prints under a failed expectation. */
function trailCell(failure: ScenarioResult["failures"][number]): Cell {
  const trail = failure.trail ?? [];
  if (trail.length === 0) return "";
  const more = trail.length > MAX_TRAIL_LINES ? [`… ${trail.length - MAX_TRAIL_LINES} more`] : [];
  return { text: `events around ${failure.date ?? "?"}:`, lines: [...trail.slice(0, MAX_TRAIL_LINES), ...more] };
}

function show(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
}
