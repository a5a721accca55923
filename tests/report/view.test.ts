import { describe, expect, it } from "vitest";
import type { RunData } from "../../src/report/load.js";
import { runReportView } from "../../src/report/view.js";

function run(sessions: number, blockedSessions: number): RunData {
  const dates = Array.from({ length: sessions }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`);
  return {
    summary: { run_id: "r", initial_capital: 1000, final_equity: 1000, total_return: 0, max_drawdown: 0, max_drawdown_peak: null, max_drawdown_trough: null, orders: 0, fills: 0, sessions, first_session: dates[0], last_session: dates.at(-1)!, halts: 0, panics: 0, sessions_halted: 0, dry_run: false, strategies: {} },
    timeline: dates.map((date) => ({ date, equity: 1000, highWaterMark: 1000, drawdown: 0, state: "ACTIVE", sizingMultiplier: 1, ordersSubmitted: 0 })),
    events: dates.slice(0, blockedSessions).map((date) => ({ date, time: "", type: "symbol_blocked", reason: "STALE_DATA", symbol: "AAA", detail: "" })),
    funnel: { stages: [], strategies: {} },
    rejections: [],
    weeklyHealth: [],
    whyNoTrade: [],
    trades: [],
  };
}

describe("the run report's verdict", () => {
  it("says so when data quality blocked most of the replay, never a green 'no drawdown rule fired'", () => {
    const { verdict } = runReportView(run(20, 15), []);

    expect(verdict.tone).toBe("bad");
    expect(verdict.text).toMatch(/^Data quality blocked trading on 15 of 20 sessions/);
  });

  it("is green when no rule fired and the data was good", () => {
    expect(runReportView(run(20, 2), []).verdict).toEqual({ tone: "good", text: "No drawdown rule fired. Ended ACTIVE." });
  });
});
