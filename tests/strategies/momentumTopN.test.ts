import { describe, expect, it } from "vitest";
import { MomentumTopN } from "../../src/strategies/index.js";
import { barStore, contextAt } from "./fixtures.js";

describe("momentum_top_n", () => {
  // One-session momentum at index 1: A +20%, B and C +10% (a tie), D -10%, E has too few bars.
  const bars = barStore({
    A: [100, 120],
    B: [100, 110],
    C: [100, 110],
    D: [100, 90],
    E: [null, 100],
  });
  const symbols = ["A", "B", "C", "D", "E"];

  it("splits equity over the top N, breaking ties by symbol name", () => {
    const strategy = new MomentumTopN({ symbols, lookback: 1, topN: 2 });

    const decision = strategy.onSession(contextAt(bars, 1, { universe: ["C", "B", "A", "D", "E"] }));

    expect(Object.fromEntries(decision.targets)).toEqual({ A: 0.5, B: 0.5 });
    expect(decision.note).toBe("top: A +20.0%, B +10.0%");
  });

  it("never picks a symbol with negative momentum even when slots are free", () => {
    const strategy = new MomentumTopN({ symbols, lookback: 1, topN: 5 });

    const decision = strategy.onSession(contextAt(bars, 1));

    expect(Object.fromEntries(decision.targets)).toEqual({ A: 0.2, B: 0.2, C: 0.2 });
  });

  it("exits held symbols that drop out of the top N", () => {
    const strategy = new MomentumTopN({ symbols, lookback: 1, topN: 1 });

    const decision = strategy.onSession(contextAt(bars, 1, { positions: { A: 3, C: 4, D: 5 } }));

    expect(Object.fromEntries(decision.targets)).toEqual({ A: 1, C: 0, D: 0 });
    expect(decision.note).toBe("top: A +20.0%; exit: C, D");
  });

  it("neither ranks nor sells symbols outside the universe", () => {
    const strategy = new MomentumTopN({ symbols, lookback: 1, topN: 1 });

    const decision = strategy.onSession(contextAt(bars, 1, { universe: ["B", "D"], positions: { A: 3, D: 5 } }));

    expect(Object.fromEntries(decision.targets)).toEqual({ B: 1, D: 0 });
  });

  it("sets no targets when nothing qualifies and nothing is held", () => {
    const strategy = new MomentumTopN({ symbols, lookback: 1, topN: 1 });

    const decision = strategy.onSession(contextAt(bars, 1, { universe: ["D", "E"] }));

    expect(decision.targets.size).toBe(0);
    expect(decision.note).toBe("no tradable symbol with positive momentum");
  });

  it("requires momentum over its look-back, 126 sessions by default", () => {
    expect(new MomentumTopN({ symbols: ["A", "B", "C"] }).requiredIndicators).toEqual([{ kind: "momentum", period: 126 }]);
  });

  it("rejects bad parameters naming the parameter", () => {
    expect(() => new MomentumTopN({ symbols: ["A", "B"] })).toThrow("momentum_top_n: topN (3) must be <= the number of symbols (2)");
    expect(() => new MomentumTopN({ symbols: ["A", "A"], topN: 1 })).toThrow("momentum_top_n: symbols lists A twice");
    expect(() => new MomentumTopN({ symbols: [], topN: 1 })).toThrow("momentum_top_n: symbols must list at least one symbol");
    expect(() => new MomentumTopN({ symbols, lookback: 0 })).toThrow("momentum_top_n: lookback (0) must be a whole number >= 1");
  });
});
