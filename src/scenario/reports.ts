import type { ScenarioRunResult } from "./runner.js";

/** Event-trail lines shown per failed expectation before "… N more". */
const MAX_TRAIL_LINES = 40;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function label(result: ScenarioRunResult): string {
  return result.status === "invalid" ? "INVALID" : result.passed ? "PASS" : "FAIL";
}

/** One line per scenario, then for a failure each failed expectation (expected vs actual) and its event trail. */
export function formatResult(result: ScenarioRunResult): string {
  const lines = [`${label(result)} ${result.name} (${seconds(result.durationMs)}) ${result.file}`];
  if (result.error) lines.push(`  error: ${result.error}`);
  for (const failure of result.failures) {
    lines.push(`  ✗ ${failure.expectation}`, `      expected: ${failure.expected}`, `      actual:   ${failure.actual}`);
    if (failure.trail.length === 0) continue;
    lines.push(`      events around ${failure.date}:`, ...failure.trail.slice(0, MAX_TRAIL_LINES).map((line) => `        ${line}`));
    if (failure.trail.length > MAX_TRAIL_LINES) lines.push(`        … ${failure.trail.length - MAX_TRAIL_LINES} more`);
  }
  return `${lines.join("\n")}\n`;
}

/** Counts of a suite's outcomes. */
export function tally(results: readonly ScenarioRunResult[]): { passed: number; failed: number; invalid: number } {
  const invalid = results.filter((result) => result.status === "invalid").length;
  const passed = results.filter((result) => result.passed).length;
  return { passed, failed: results.length - passed - invalid, invalid };
}

export function formatTotals(results: readonly ScenarioRunResult[], wallMs: number): string {
  const { passed, failed, invalid } = tally(results);
  return `${passed} passed, ${failed} failed${invalid ? `, ${invalid} invalid` : ""} of ${results.length} scenarios in ${seconds(wallMs)}\n`;
}

/** The suite as JUnit XML (one testcase per scenario; invalid ones are errors, failed ones failures). */
export function junitXml(results: readonly ScenarioRunResult[]): string {
  const { failed, invalid } = tally(results);
  const time = (results.reduce((sum, result) => sum + result.durationMs, 0) / 1000).toFixed(3);
  const counts = `tests="${results.length}" failures="${failed}" errors="${invalid}" time="${time}"`;
  const cases = results.map((result) => {
    const open = `    <testcase classname="scenarios" name="${xml(result.name)}" file="${xml(result.file)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
    if (result.passed) return `${open}/>`;
    const tag = result.status === "invalid" ? "error" : "failure";
    const message = result.error ?? `${result.failures.length} expectation(s) failed`;
    return `${open}>\n      <${tag} message="${xml(message)}" type="${result.status}">${xml(formatResult(result))}</${tag}>\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tradeguard scenarios" ${counts}>`,
    `  <testsuite name="tradeguard scenarios" ${counts}>`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** The suite as JSON: totals and every scenario's result. */
export function jsonReport(results: readonly ScenarioRunResult[]): string {
  return `${JSON.stringify({ ...tally(results), total: results.length, results }, null, 2)}\n`;
}
