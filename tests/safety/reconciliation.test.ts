import { describe, it, expect } from "vitest";
import { reconcilePositions } from "../../src/safety/index.js";

describe("position reconciliation", () => {
  it("is clean when both sides hold the same quantities up to the tolerance", () => {
    const result = reconcilePositions(new Map([["SPY", 1.5], ["QQQ", 2]]), new Map([["QQQ", 2], ["SPY", 1.5 + 1e-9]]));

    expect(result).toEqual({ clean: true, mismatches: [] });
  });

  it("lists symbols on either side, missing ones as zero, sorted by symbol", () => {
    const internal = new Map([["SPY", 3], ["AAPL", 1], ["IWM", 0]]);
    const broker = new Map([["SPY", 2], ["QQQ", 4]]);

    expect(reconcilePositions(internal, broker).mismatches).toEqual([
      { symbol: "AAPL", internalQty: 1, brokerQty: 0, diff: -1 },
      { symbol: "QQQ", internalQty: 0, brokerQty: 4, diff: 4 },
      { symbol: "SPY", internalQty: 3, brokerQty: 2, diff: -1 },
    ]);
  });

  it("treats a NaN quantity as a mismatch", () => {
    expect(reconcilePositions(new Map([["SPY", Number.NaN]]), new Map([["SPY", 1]])).clean).toBe(false);
  });

  it("honours a custom tolerance", () => {
    expect(reconcilePositions(new Map([["SPY", 1]]), new Map([["SPY", 1.01]]), 0.05).clean).toBe(true);
  });
});

describe("reconciliation order and tolerance", () => {
  it("lists mismatches in symbol order and treats a difference of exactly the tolerance as agreement", () => {
    const internal = new Map([["CCC", 1], ["AAA", 1], ["BBB", 1]]);
    const broker = new Map([["BBB", 2], ["CCC", 3], ["AAA", 1.5], ["AB", 0]]);

    expect(reconcilePositions(internal, broker).mismatches.map((row) => row.symbol)).toEqual(["AAA", "BBB", "CCC"]);
    expect(reconcilePositions(new Map([["AAA", 1]]), new Map([["AAA", 1.5]]), 0.5).clean).toBe(true);
    expect(reconcilePositions(new Map([["BBB", 1], ["AAA", 1]]), new Map([["AAA", 2], ["BBB", 2]])).mismatches.map((row) => row.symbol)).toEqual(["AAA", "BBB"]);
  });
});
