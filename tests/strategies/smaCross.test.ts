import { describe, expect, it } from "vitest";
import { SmaCross } from "../../src/strategies/index.js";
import { barStore, contextAt } from "./fixtures.js";

describe("sma_cross", () => {
  // fast 2 / slow 3: warming up, then fast above slow at index 4, below it at index 6.
  const bars = barStore({ SPY: [10, 10, 10, 13, 13, 7, 7] });
  const strategy = new SmaCross({ symbol: "SPY", fast: 2, slow: 3 });

  it("targets full weight while the fast SMA is above the slow one", () => {
    const decision = strategy.onSession(contextAt(bars, 4));

    expect([...decision.targets]).toEqual([["SPY", 1]]);
    expect(decision.note).toBe("fast 13 > slow 12");
  });

  it("exits once the fast SMA falls below the slow one", () => {
    const decision = strategy.onSession(contextAt(bars, 6, { positions: { SPY: 5 } }));

    expect([...decision.targets]).toEqual([["SPY", 0]]);
    expect(decision.note).toBe("fast 7 <= slow 9");
  });

  it("stays flat when the SMAs are equal", () => {
    const decision = strategy.onSession(contextAt(bars, 2));

    expect(decision.targets.get("SPY")).toBe(0);
  });

  it("sets no targets while the slow SMA is still warming up", () => {
    const decision = strategy.onSession(contextAt(bars, 1));

    expect(decision.targets.size).toBe(0);
    expect(decision.note).toBe("SPY SMAs not available yet");
  });

  it("sets no targets when data quality blocked its symbol", () => {
    const decision = strategy.onSession(contextAt(bars, 4, { universe: [] }));

    expect(decision.targets.size).toBe(0);
  });

  it("requires both SMAs, defaulting to 50 and 200 sessions", () => {
    expect(strategy.requiredIndicators).toEqual([
      { kind: "sma", period: 2 },
      { kind: "sma", period: 3 },
    ]);
    expect(new SmaCross({ symbol: "SPY" }).requiredIndicators).toEqual([
      { kind: "sma", period: 50 },
      { kind: "sma", period: 200 },
    ]);
  });

  it("rejects a fast period that is not below the slow one", () => {
    expect(() => new SmaCross({ symbol: "SPY", fast: 50, slow: 20 })).toThrow("sma_cross: fast (50) must be < slow (20)");
  });

  it("rejects periods that are not whole numbers of at least one", () => {
    expect(() => new SmaCross({ symbol: "SPY", fast: 0 })).toThrow("sma_cross: fast (0) must be a whole number >= 1");
    expect(() => new SmaCross({ symbol: "SPY", slow: 20.5 })).toThrow("sma_cross: slow (20.5) must be a whole number >= 1");
  });
});
