import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeRunReport } from "../../src/report/index.js";
import { writeSuiteReport, type ScenarioResult } from "../../src/report/suite.js";
import { buildRun, read, tempDir } from "./fixtures.js";

let suiteDir: string;
let written: { html: string; markdown: string };

beforeAll(async () => {
  suiteDir = tempDir("suite");
  const runDir = await buildRun(7, join(suiteDir, "halts-fire"));
  // The scenario runner writes each scenario's report as it finishes; the suite report links to those.
  await writeRunReport(runDir);
  const results: ScenarioResult[] = [
    { name: "halts-fire", file: "scenarios/halts-fire.yaml", passed: true, durationMs: 1234, failures: [], runDir, hasReport: true },
    {
      name: "panic-flattens", file: "scenarios/panic-flattens.yaml", passed: false, durationMs: 56,
      failures: [
        { expectation: "panics", expected: 1, actual: 0, date: "2018-03-01", trail: ["2018-03-01 drawdown_halt DRAWDOWN_HALT: d=0.0812 limit=0.08"] },
        { expectation: "final_state", expected: "PANIC", actual: "ACTIVE" },
      ],
      runDir: join(suiteDir, "panic-flattens"),
    },
  ];
  written = writeSuiteReport(suiteDir, results, { wallMs: 2500 });
});

describe("the scenario suite report", () => {
  it("lists each scenario with pass/fail and time, linking to the report of each scenario that left a run", () => {
    const html = read(suiteDir, "report.html");
    const markdown = read(suiteDir, "report.md");

    expect(written).toEqual({ html: join(suiteDir, "report.html"), markdown: join(suiteDir, "report.md") });
    expect(html).toContain(`<tr><td>halts-fire</td><td>scenarios/halts-fire.yaml</td><td class="good">PASS</td><td>1.23 s</td><td><a href="halts-fire/report.html">report</a></td></tr>`);
    expect(html).toContain(`<td class="bad">FAIL</td><td>0.06 s</td><td>—</td>`);
    expect(markdown).toContain("| halts-fire | scenarios/halts-fire.yaml | ✅ PASS | 1.23 s | [report](halts-fire/report.md) |");
    expect(markdown).toContain("1 of 2 scenarios failed: panic-flattens.");
  });

  it("heads the report with the suite's wall time", () => {
    expect(read(suiteDir, "report.md")).toContain("1 of 2 scenarios passed in 2.50 s.");
  });

  it("shows the events around a failed expectation, as the terminal does", () => {
    const html = read(suiteDir, "report.html");

    expect(html).toContain(`events around 2018-03-01:<span class="field">2018-03-01 drawdown_halt DRAWDOWN_HALT: d=0.0812 limit=0.08</span>`);
  });

  it("links no report for a scenario that wrote none (scenarios run --no-report), though its run folder exists", () => {
    const dir = tempDir("suite-no-report");
    const runDir = join(suiteDir, "halts-fire");
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
    writeSuiteReport(dir, [{ name: "halts-fire", file: "scenarios/halts-fire.yaml", passed: true, durationMs: 5, failures: [], runDir, hasReport: false }]);
    expect(read(dir, "report.md")).toContain("| halts-fire | scenarios/halts-fire.yaml | ✅ PASS | 0.01 s | — |");
  });

  it("shows every failed expectation with what was expected and what happened", () => {
    const markdown = read(suiteDir, "report.md");

    expect(markdown).toContain("| panic-flattens | panics | 1 | 0 |");
    expect(markdown).toContain("| panic-flattens | final_state | PANIC | ACTIVE |");
  });
});
