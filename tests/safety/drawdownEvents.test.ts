import { describe, expect, it } from "vitest";
import { DEFAULT_DRAWDOWN_CONFIG, type DrawdownState } from "../../src/safety/index.js";
import {
  healthCheckFailedEvent,
  healthCheckPassedEvent,
  rampupEndedEvent,
  rampupStartedEvent,
  triggerEvent,
} from "../../src/safety/drawdownEvents.js";

const CONFIG = { ...DEFAULT_DRAWDOWN_CONFIG, flattenOnPanic: true };
const FACTS = { equity: 900, highWaterMark: 1000, drawdown: 0.1 };

describe("drawdown events", () => {
  it("names the threshold, the numbers and the cooldown of a halt, without a flatten flag", () => {
    expect(triggerEvent("HALTED", "ACTIVE", { equity: 920, highWaterMark: 1000, drawdown: 0.08 }, CONFIG)).toEqual({
      type: "drawdown_halt",
      reason: "DRAWDOWN_HALT",
      detail: "d=0.0800 limit=0.0800 equity=920.00 hwm=1000.00 cooldown=10 from=ACTIVE",
      data: { equity: 920, highWaterMark: 1000, drawdown: 0.08, threshold: 0.08, cooldownSessions: 10, from: "ACTIVE" },
    });
  });

  it("says whether a panic flattens, from FLATTEN_ON_PANIC", () => {
    expect(triggerEvent("PANIC", "HALTED", FACTS, CONFIG)).toEqual({
      type: "drawdown_panic",
      reason: "DRAWDOWN_PANIC",
      detail: "d=0.1000 limit=0.1000 equity=900.00 hwm=1000.00 cooldown=20 from=HALTED",
      data: { ...FACTS, threshold: 0.1, cooldownSessions: 20, from: "HALTED", flatten: true },
    });
    expect(triggerEvent("PANIC", "ACTIVE", FACTS, { ...CONFIG, flattenOnPanic: false }).data).toMatchObject({ flatten: false });
  });

  it("gives a ramp-up's length and size when it starts and full size when it ends", () => {
    expect(rampupStartedEvent(CONFIG)).toEqual({ type: "rampup_started", reason: "RAMPUP_STARTED", detail: "sessions=5 sizing=0.5000", data: { sessions: 5, sizing: 0.5 } });
    expect(rampupEndedEvent(CONFIG)).toEqual({ type: "rampup_ended", reason: "RAMPUP_ENDED", detail: "sessions=5 sizing=1.0000", data: { sessions: 5 } });
  });

  it("reports a passed health check with the re-based and the previous high-water mark", () => {
    const state: DrawdownState = { mode: "PANIC", highWaterMark: 1000, cooldownRemaining: 0, rampupRemaining: 0, triggeredOn: "2021-02-01" };

    expect(healthCheckPassedEvent(state, 912.5, "2021-03-02")).toEqual({
      type: "health_check_passed",
      reason: "HEALTH_CHECK_PASSED",
      detail: "hwm=912.50 previous_hwm=1000.00 mode=PANIC",
      data: { equity: 912.5, previousHighWaterMark: 1000, since: "2021-02-01", resumedOn: "2021-03-02" },
    });
  });

  it("names only the failing sub-checks of a failed health check", () => {
    const state: DrawdownState = { mode: "HALTED", highWaterMark: 1000, cooldownRemaining: 0, rampupRemaining: 0, triggeredOn: "2021-02-01" };
    const checks = [
      { name: "broker_reachable", passed: true, code: "BROKER_UNREACHABLE", detail: "reachable=true" },
      { name: "kill_switch_off", passed: false, code: "KILL_SWITCH_GLOBAL", detail: "trading_disabled=true" },
      { name: "flat_after_panic", passed: false, code: "NOT_FLAT", detail: "still_held=AAA" },
    ] as const;

    expect(healthCheckFailedEvent(state, checks)).toEqual({
      type: "health_check_failed",
      reason: "HEALTH_CHECK_FAILED",
      detail: "failed=KILL_SWITCH_GLOBAL,NOT_FLAT mode=HALTED cooldown=0",
      data: { failed: ["KILL_SWITCH_GLOBAL", "NOT_FLAT"], checks },
    });
    expect(healthCheckFailedEvent(state, []).detail).toBe("failed=unspecified mode=HALTED cooldown=0");
  });
});
