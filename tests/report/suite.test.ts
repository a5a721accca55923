import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeSuiteReport, type ScenarioResult } from "../../src/report/suite.js";
import { buildRun, read, tempDir } from "./fixtures.js";

let suiteDir: string;
let written: { html: string; markdown: string };

beforeAll(async () => {
  suiteDir = tempDir("suite");
  const runDir = await buildRun(7, join(suiteDir, "halts-fire"));
  const results: ScenarioResult[] = [
    { name: "halts-fire", file: "scenarios/halts-fire.yaml", passed: true, durationMs: 1234, failures: [], runDir },
    {
      name: "panic-flattens", file: "scenarios/panic-flattens.yaml", passed: false, durationMs: 56,
      failures: [{ expectation: "panics", expected: 1, actual: 0 }, { expectation: "final_state", expected: "PANIC", actual: "ACTIVE" }],
      runDir: join(suiteDir, "panic-flattens"),
    },
  ];
  written = await writeSuiteReport(suiteDir, results);
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

  it("writes the run report of each scenario it links to", () => {
    expect(existsSync(join(suiteDir, "halts-fire", "report.html"))).toBe(true);
    expect(existsSync(join(suiteDir, "halts-fire", "report.md"))).toBe(true);
  });

  it("shows every failed expectation with what was expected and what happened", () => {
    const markdown = read(suiteDir, "report.md");

    expect(markdown).toContain("| panic-flattens | panics | 1 | 0 |");
    expect(markdown).toContain("| panic-flattens | final_state | PANIC | ACTIVE |");
  });
});
