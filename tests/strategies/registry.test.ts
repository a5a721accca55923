import { describe, expect, it } from "vitest";
import { createStrategy, listStrategies } from "../../src/strategies/index.js";

describe("createStrategy", () => {
  it("builds a strategy from CLI strings", () => {
    const strategy = createStrategy({ name: "sma_cross", params: { symbol: " SPY ", fast: "20", slow: "100" } });

    expect(strategy.name).toBe("sma_cross");
    expect(strategy.symbols).toEqual(["SPY"]);
    expect(strategy.requiredIndicators).toEqual([
      { kind: "sma", period: 20 },
      { kind: "sma", period: 100 },
    ]);
  });

  it("reads weight and rebalance_band, which every strategy takes, from CLI strings", () => {
    const strategy = createStrategy({ name: "momentum_top_n", params: { symbols: "SPY,QQQ", topN: "1", weight: "0.6", rebalance_band: "0.05" } });
    const plain = createStrategy({ name: "buy_and_hold", params: { symbol: "SPY" } });

    expect(strategy.allocation).toEqual({ weight: 0.6, rebalanceBand: 0.05 });
    expect(plain.allocation).toBeUndefined();
  });

  it("rejects a weight outside (0, 1] and a band outside [0, 1], naming the strategy", () => {
    expect(() => createStrategy({ name: "buy_and_hold", params: { symbol: "SPY", weight: "1.5" } })).toThrow("buy_and_hold: weight (1.5) must be a number in (0, 1]");
    expect(() => createStrategy({ name: "buy_and_hold", params: { symbol: "SPY", weight: 0 } })).toThrow("buy_and_hold: weight (0) must be a number in (0, 1]");
    expect(() => createStrategy({ name: "buy_and_hold", params: { symbol: "SPY", rebalance_band: "-0.1" } })).toThrow(
      "buy_and_hold: rebalance_band (-0.1) must be a number in [0, 1]",
    );
  });

  it("splits a comma-separated symbol list", () => {
    const strategy = createStrategy({ name: "momentum_top_n", params: { symbols: "SPY, QQQ,IWM", topN: "2" } });

    expect(strategy.symbols).toEqual(["SPY", "QQQ", "IWM"]);
  });

  it("fills a missing symbol with the default symbol", () => {
    expect(createStrategy({ name: "buy_and_hold" }, "SPY").symbols).toEqual(["SPY"]);
    expect(createStrategy({ name: "momentum_top_n", params: { topN: 1 } }, "SPY").symbols).toEqual(["SPY"]);
  });

  it("keeps given ids so two instances can run side by side", () => {
    const spy = createStrategy({ name: "buy_and_hold", id: "hold-spy", params: { symbol: "SPY" } });
    const qqq = createStrategy({ name: "buy_and_hold", id: "hold-qqq", params: { symbol: "QQQ" } });

    expect([spy.id, qqq.id]).toEqual(["hold-spy", "hold-qqq"]);
  });

  it("lists the known strategies for an unknown name", () => {
    expect(() => createStrategy({ name: "moon" })).toThrow(
      'unknown strategy "moon"; known strategies: buy_and_hold, sma_cross, momentum_top_n',
    );
  });

  it("rejects junk numbers, unknown params and missing symbols", () => {
    expect(() => createStrategy({ name: "sma_cross", params: { symbol: "SPY", fast: "abc" } })).toThrow(
      'sma_cross: fast must be a number, got "abc"',
    );
    expect(() => createStrategy({ name: "sma_cross", params: { symbol: "SPY", fast: "2.5" } })).toThrow(
      "sma_cross: fast (2.5) must be a whole number >= 1",
    );
    expect(() => createStrategy({ name: "sma_cross", params: { symbol: "SPY", period: 3 } })).toThrow(
      "sma_cross: unknown param period; known params: symbol, fast, slow",
    );
    expect(() => createStrategy({ name: "buy_and_hold" })).toThrow("buy_and_hold: symbol is required");
    expect(() => createStrategy({ name: "momentum_top_n", params: { symbols: "A,,B", topN: 1 } })).toThrow(
      'momentum_top_n: symbols ("") must be a ticker',
    );
    expect(() => createStrategy({ name: "momentum_top_n", params: { symbols: 7 } })).toThrow(
      "momentum_top_n: symbols must be a comma-separated list, got 7",
    );
  });
});

describe("listStrategies", () => {
  it("documents every built-in with its params and defaults", () => {
    const strategies = listStrategies();

    expect(strategies.map((strategy) => strategy.name)).toEqual(["buy_and_hold", "sma_cross", "momentum_top_n"]);
    expect(strategies[1].params.map(({ name, type, default: fallback }) => ({ name, type, fallback }))).toEqual([
      { name: "symbol", type: "symbol", fallback: undefined },
      { name: "fast", type: "integer", fallback: 50 },
      { name: "slow", type: "integer", fallback: 200 },
    ]);
    expect(strategies.every((strategy) => strategy.description.length > 0)).toBe(true);
  });

  it("hands out copies that callers cannot use to change the registry", () => {
    listStrategies()[1].params[1].default = 7;

    expect(listStrategies()[1].params[1].default).toBe(50);
  });
});
