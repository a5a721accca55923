import { describe, it, expect } from "vitest";
import { killSwitchDecision, parseStrategyList } from "../../src/safety/index.js";

describe("kill switch", () => {
  it("allows a strategy when nothing is disabled", () => {
    expect(killSwitchDecision({ tradingDisabled: false, disabledStrategies: new Set() }, "sma").kind).toBe("allow");
  });

  it("denies a disabled strategy and leaves the others alone", () => {
    const state = { tradingDisabled: false, disabledStrategies: new Set(["sma"]) };

    expect(killSwitchDecision(state, "sma")).toEqual({
      kind: "deny",
      code: "KILL_SWITCH_STRATEGY",
      detail: "strategy=sma in STRATEGY_DISABLED_LIST",
    });
    expect(killSwitchDecision(state, "momentum").kind).toBe("allow");
  });

  it("reports the global switch before the strategy switch", () => {
    const decision = killSwitchDecision({ tradingDisabled: true, disabledStrategies: new Set(["sma"]) }, "sma");

    expect(decision).toMatchObject({ kind: "deny", code: "KILL_SWITCH_GLOBAL" });
  });

  it("parses a comma-separated list, trimming blanks and empty entries", () => {
    expect([...parseStrategyList("a, b,,c")]).toEqual(["a", "b", "c"]);
    expect(parseStrategyList("").size).toBe(0);
  });
});

describe("kill switch details", () => {
  it("says which switch denied the entry", () => {
    expect(killSwitchDecision({ tradingDisabled: true, disabledStrategies: new Set() }, "s1")).toEqual({ kind: "deny", code: "KILL_SWITCH_GLOBAL", detail: "TRADING_DISABLED=true" });
  });
});
