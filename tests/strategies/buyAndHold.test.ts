import { describe, expect, it } from "vitest";
import { BuyAndHold } from "../../src/strategies/index.js";
import { barStore, contextAt } from "./fixtures.js";

describe("buy_and_hold", () => {
  const bars = barStore({ SPY: [100, 90, 80, 70], QQQ: [50, 50, 50, 50] });

  it("targets its whole equity in its symbol when the symbol may trade", () => {
    const strategy = new BuyAndHold({ symbol: "SPY" });

    const decision = strategy.onSession(contextAt(bars, 0, { universe: ["SPY"] }));

    expect([...decision.targets]).toEqual([["SPY", 1]]);
    expect(decision.note).toBe("holding SPY");
  });

  it("sets no targets when data quality blocked its symbol", () => {
    const strategy = new BuyAndHold({ symbol: "SPY" });

    const decision = strategy.onSession(contextAt(bars, 1, { universe: [], positions: { SPY: 10 } }));

    expect(decision.targets.size).toBe(0);
    expect(decision.note).toBe("SPY not tradable this session");
  });

  it("never lowers its weight below one while the price falls", () => {
    const strategy = new BuyAndHold({ symbol: "SPY" });

    const weights = bars.sessions.map((_, index) => {
      const decision = strategy.onSession(contextAt(bars, index, { positions: { SPY: 10 } }));
      return decision.targets.get("SPY");
    });

    expect(weights).toEqual([1, 1, 1, 1]);
  });

  it("needs no indicators and trades only its symbol", () => {
    const strategy = new BuyAndHold({ symbol: "QQQ" });

    expect(strategy.requiredIndicators).toEqual([]);
    expect(strategy.symbols).toEqual(["QQQ"]);
  });

  it("uses its name as id unless given one", () => {
    expect(new BuyAndHold({ symbol: "SPY" }).id).toBe("buy_and_hold");
    expect(new BuyAndHold({ symbol: "SPY", id: "hold-spy" }).id).toBe("hold-spy");
  });

  it("rejects a symbol with spaces and an empty id", () => {
    expect(() => new BuyAndHold({ symbol: "S PY" })).toThrow('buy_and_hold: symbol ("S PY") must be a ticker');
    expect(() => new BuyAndHold({ symbol: "SPY", id: " " })).toThrow("buy_and_hold: id");
  });
});
