import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/runFiles.js";
import { colourEnabled, createProgress, formatRunSummary, formatSuiteSummary, progressLine } from "../../src/report/terminal.js";

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } };
}

const SUMMARY: RunSummary = {
  run_id: "run-000000000000", initial_capital: 1000, final_equity: 925.39, total_return: -0.07461,
  max_drawdown: 0.163894, max_drawdown_peak: "2020-06-09", max_drawdown_trough: "2020-12-30",
  orders: 372, fills: 372, sessions: 505, first_session: "2019-01-02", last_session: "2020-12-31",
  halts: 14, panics: 5, sessions_halted: 192, dry_run: false, strategies: {},
};

const ANSI = /\u001b\[/;

describe("terminal output", () => {
  it("draws the progress bar in place on a TTY, once per percent, and ends the line when done", () => {
    const { written, stream } = recorder(true);
    const progress = createProgress(5000, "replay", { stream, env: {} });

    for (let i = 0; i < 5000; i++) progress.tick();
    progress.done();

    // Frames for 0 %, 1 %, …, 100 %, then the newline.
    expect(written.length).toBe(102);
    expect(written[0]).toBe(`\r${progressLine(0, 5000, "replay")}`);
    expect(written.slice(0, -1).every((frame) => frame.startsWith("\r"))).toBe(true);
    expect(written.at(-2)).toBe(`\r${progressLine(5000, 5000, "replay")}`);
    expect(written.at(-1)).toBe("\n");
  });

  it("prints no progress when stderr is not a TTY or CI is set", () => {
    for (const [isTTY, env] of [[false, {}], [true, { CI: "true" }]] as const) {
      const { written, stream } = recorder(isTTY);
      const progress = createProgress(10, "replay", { stream, env });

      progress.tick(5);
      progress.done();

      expect(written).toEqual([]);
    }
  });

  it("fills the bar in proportion to the work done", () => {
    expect(progressLine(0, 4, "suite")).toBe(`suite [${"░".repeat(30)}]   0% 0/4`);
    expect(progressLine(2, 4, "suite")).toBe(`suite [${"█".repeat(15)}${"░".repeat(15)}]  50% 2/4`);
  });

  it("uses colour only on a TTY without NO_COLOR", () => {
    expect(colourEnabled({ stream: recorder(true).stream, env: {} })).toBe(true);
    expect(colourEnabled({ stream: recorder(true).stream, env: { NO_COLOR: "1" } })).toBe(false);
    expect(colourEnabled({ stream: recorder(false).stream, env: {} })).toBe(false);
  });

  it("summarises a run in a few lines, coloured only when asked", () => {
    const plain = formatRunSummary(SUMMARY, { colour: false, report: "out/report.html" });
    const coloured = formatRunSummary(SUMMARY, { colour: true });

    expect(plain).not.toMatch(ANSI);
    expect(plain).toContain("equity 1,000.00 → 925.39 (-7.46%), max drawdown 16.39%");
    expect(plain).toContain("halts 14, panics 5, sessions halted 192");
    expect(plain).toContain("report out/report.html");
    expect(coloured).toContain("\u001b[31m-7.46%\u001b[0m");
  });

  it("summarises a suite with one line per scenario", () => {
    const results = [
      { name: "a", file: "a.yaml", passed: true, durationMs: 1000, failures: [], runDir: "a" },
      { name: "b", file: "b.yaml", passed: false, durationMs: 2500, failures: [], runDir: "b" },
    ];

    expect(formatSuiteSummary(results, { colour: false })).toBe("  PASS a (1.00 s)\n  FAIL b (2.50 s)\n1/2 scenarios passed\n");
  });
});
