import { describe, expect, it } from "vitest";
import { goLiveChecklist } from "../../src/report/checklist.js";
import type { RunData, RunEvent } from "../../src/report/load.js";

function runWith(events: Partial<RunEvent>[], mode = "simulated", finalState = "ACTIVE"): RunData {
  return {
    summary: {} as RunData["summary"],
    timeline: [{ date: "2024-01-31", equity: 1000, highWaterMark: 1000, drawdown: 0, state: finalState, sizingMultiplier: 1, ordersSubmitted: 0 }],
    events: events.map((event) => ({ date: "2024-01-02", time: "", type: "", reason: "", detail: "", ...event })),
    funnel: { stages: [], strategies: {} },
    rejections: [],
    weeklyHealth: [],
    whyNoTrade: [],
    trades: [],
    run: { mode, status: "completed", config: {}, args: {} },
  };
}

const outcomes = (data: RunData) => Object.fromEntries(goLiveChecklist(data).map((line) => [line.check, line.outcome]));

describe("the go-live checklist", () => {
  it("says not exercised for every rule a quiet run never needed", () => {
    expect(outcomes(runWith([]))).toEqual({
      "Drawdown stop fired and recovered": "not_exercised",
      "Kill switch tested": "not_exercised",
      "Data-quality blocks seen": "not_exercised",
      "No duplicate intents": "not_exercised",
      "Reconciliation clean": "pass",
      "Alerts written": "not_exercised",
      "Dry run done": "not_exercised",
    });
  });

  it("passes what fired and behaved, with the evidence", () => {
    const data = runWith([
      { type: "drawdown_halt" }, { type: "health_check_passed" }, { type: "alert_sent" },
      { type: "kill_switch_on", reason: "KILL_SWITCH_GLOBAL" }, { type: "signal_rejected", reason: "KILL_SWITCH_GLOBAL" },
      { type: "symbol_blocked", reason: "STALE_DATA", symbol: "AAA" },
      { type: "order_submitted", reason: "ENTRY", symbol: "BBB", data: { clientOrderId: "a" } },
      { type: "reconciliation_mismatch", date: "2024-01-03" }, { type: "reconciliation_resolved", date: "2024-01-04" },
      ...["2024-01-02", "2024-01-03", "2024-01-04"].map((date) => ({ type: "dry_run_session", reason: "DRY_RUN", date })),
    ], "simulated+dry_run");

    expect(Object.values(outcomes(data))).toEqual(Array(7).fill("pass"));
    expect(goLiveChecklist(data)[0].evidence).toBe("1 halts, 0 panics; 1 health checks passed, 0 failed; ended ACTIVE");
  });

  it("fails a store with fewer than three dry-run sessions, counted from its events whatever the run's mode", () => {
    const twoSessions = runWith(["2024-01-02", "2024-01-03", "2024-01-03"].map((date) => ({ type: "dry_run_session", reason: "DRY_RUN", date })), "paper");

    expect(goLiveChecklist(twoSessions).at(-1)).toEqual({ check: "Dry run done", outcome: "fail", evidence: "2 dry-run session(s) in the store; the checklist asks for at least 3" });
  });

  it("fails a stop that never recovered, an entry on a blocked symbol, a repeated order id and an unresolved mismatch", () => {
    const data = runWith([
      { type: "drawdown_panic" }, { type: "alert_failed" },
      { type: "symbol_blocked", reason: "NAN_VALUES", symbol: "AAA" },
      { type: "order_submitted", reason: "ENTRY", symbol: "AAA", data: { clientOrderId: "x" } },
      { type: "order_submitted", reason: "EXIT", symbol: "AAA", data: { clientOrderId: "x" } },
      { type: "reconciliation_mismatch", date: "2024-01-05" },
    ], "simulated", "PANIC");

    expect(outcomes(data)).toMatchObject({
      "Drawdown stop fired and recovered": "fail",
      "Data-quality blocks seen": "fail",
      "No duplicate intents": "fail",
      "Reconciliation clean": "fail",
      "Alerts written": "fail",
    });
  });
});
