import { describe, it, expect } from "vitest";
import { runHealthCheck, type HealthCheckInputs } from "../../src/safety/index.js";

const HEALTHY: HealthCheckInputs = {
  brokerReachable: true,
  reconciliationMismatches: 0,
  duplicateIntentsLast24h: 0,
  killSwitchGlobal: false,
  unblockedSymbols: 3,
  totalSymbols: 4,
  notFlatSymbols: [],
};

describe("health check", () => {
  it("passes and lists all six sub-checks when everything is fine", () => {
    const result = runHealthCheck(HEALTHY);

    expect(result.passed).toBe(true);
    expect(result.checks.map((check) => [check.name, check.passed])).toEqual([
      ["broker_reachable", true],
      ["reconciliation_clean", true],
      ["no_duplicate_intents", true],
      ["kill_switch_off", true],
      ["data_available", true],
      ["flat_after_panic", true],
    ]);
  });

  it("fails each sub-check with its own code", () => {
    const cases: [Partial<HealthCheckInputs>, string][] = [
      [{ brokerReachable: false, brokerError: "ECONNREFUSED" }, "BROKER_UNREACHABLE"],
      [{ reconciliationMismatches: 2 }, "RECONCILIATION_MISMATCH"],
      [{ duplicateIntentsLast24h: 1 }, "DUPLICATE_INTENTS_RECENT"],
      [{ killSwitchGlobal: true }, "KILL_SWITCH_GLOBAL"],
      [{ unblockedSymbols: 0 }, "ALL_SYMBOLS_BLOCKED"],
      [{ notFlatSymbols: ["SPX"] }, "NOT_FLAT"],
    ];
    for (const [fault, code] of cases) {
      const result = runHealthCheck({ ...HEALTHY, ...fault });

      expect(result.passed).toBe(false);
      expect(result.checks).toHaveLength(6);
      expect(result.checks.filter((check) => !check.passed).map((check) => check.code)).toEqual([code]);
    }
  });

  it("puts the broker error and counts in the details", () => {
    const result = runHealthCheck({ ...HEALTHY, brokerReachable: false, brokerError: "ECONNREFUSED", unblockedSymbols: 0 });

    expect(result.checks[0].detail).toBe("reachable=false error=ECONNREFUSED");
    expect(result.checks[4].detail).toBe("unblocked=0 total=4");
  });

  it("names the symbols a PANIC flatten still has to close", () => {
    const result = runHealthCheck({ ...HEALTHY, notFlatSymbols: ["AAA", "BBB"] });

    expect(result.checks[5]).toMatchObject({ passed: false, code: "NOT_FLAT", detail: "still_held=AAA,BBB" });
  });
});

describe("health check details", () => {
  it("gives each sub-check's numbers, failing or not", () => {
    const result = runHealthCheck({
      brokerReachable: false, brokerError: "ECONNREFUSED", reconciliationMismatches: 2, duplicateIntentsLast24h: 3,
      killSwitchGlobal: true, unblockedSymbols: 0, totalSymbols: 2, notFlatSymbols: ["AAA", "BBB"],
    });

    expect(result.checks.map((check) => [check.name, check.passed, check.detail])).toEqual([
      ["broker_reachable", false, "reachable=false error=ECONNREFUSED"],
      ["reconciliation_clean", false, "mismatches=2"],
      ["no_duplicate_intents", false, "duplicates_24h=3"],
      ["kill_switch_off", false, "trading_disabled=true"],
      ["data_available", false, "unblocked=0 total=2"],
      ["flat_after_panic", false, "still_held=AAA,BBB"],
    ]);
    const healthy = runHealthCheck({ brokerReachable: true, reconciliationMismatches: 0, duplicateIntentsLast24h: 0, killSwitchGlobal: false, unblockedSymbols: 1, totalSymbols: 2, notFlatSymbols: [] });
    expect(healthy.checks.map((check) => check.detail)).toEqual(["reachable=true", "mismatches=0", "duplicates_24h=0", "trading_disabled=false", "unblocked=1 total=2", "still_held=none"]);
    expect(runHealthCheck({ ...{ brokerReachable: false }, reconciliationMismatches: 0, duplicateIntentsLast24h: 0, killSwitchGlobal: false, unblockedSymbols: 1, totalSymbols: 1, notFlatSymbols: [] }).checks[0].detail).toBe("reachable=false error=unknown");
  });
});
