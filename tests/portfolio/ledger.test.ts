import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Ledger, floorQty, roundQty, type Fill, type PriceOf } from "../../src/portfolio/index.js";

const FAST_CHECK = { seed: 20240106, numRuns: 300 };
const STRATEGIES = ["alpha", "beta"] as const;
const SYMBOLS = ["AAA", "BBB", "CCC"] as const;
const INITIAL_CASH = 100_000;

const price = fc.double({ min: 0.5, max: 1000, noNaN: true, noDefaultInfinity: true });
const step = fc.record({
  strategyId: fc.constantFrom(...STRATEGIES),
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom("buy" as const, "sell" as const),
  /** Shares / 100 for a buy; the share of holdings for a sell (above 0.9 sells everything). */
  size: fc.double({ min: 0.001, max: 1, noNaN: true }),
  price,
  commission: fc.constantFrom(0, 0.35, 1, 4.95),
});
const closes = fc.record({ AAA: price, BBB: price, CCC: price });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Books each step, sizing sells so they never exceed what the strategy holds. */
function play(steps: readonly Step[]): Ledger {
  const ledger = new Ledger(INITIAL_CASH);
  for (const { size, ...fill } of steps) {
    const held = ledger.position(fill.strategyId, fill.symbol).qty;
    const sellQty = size > 0.9 ? held : floorQty(held * size, true);
    const qty = fill.side === "buy" ? roundQty(size * 100) : sellQty;
    if (qty > 0) ledger.applyFill({ ...fill, qty });
  }
  return ledger;
}

function priceFrom(prices: Record<string, number>): PriceOf {
  return (symbol) => prices[symbol];
}

function buy(qty: number, fillPrice: number, extra: Partial<Fill> = {}): Fill {
  return { strategyId: "alpha", symbol: "AAA", side: "buy", qty, price: fillPrice, ...extra };
}

function sell(qty: number, fillPrice: number, extra: Partial<Fill> = {}): Fill {
  return { ...buy(qty, fillPrice, extra), side: "sell" };
}

describe("Ledger properties over random fills", () => {
  it("values equity as cash plus every held quantity at its close", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), closes, (steps, prices) => {
        const ledger = play(steps);
        const priceOf = priceFrom(prices);

        const held = [...ledger.qtyBySymbol()].reduce((sum, [symbol, qty]) => sum + qty * priceOf(symbol), 0);

        expect(ledger.equity(priceOf)).toBeCloseTo(ledger.cash + held, 6);
      }),
      FAST_CHECK,
    );
  });

  it("splits the whole change in equity into the strategies' realized, unrealized and commissions", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), closes, (steps, prices) => {
        const ledger = play(steps);
        const priceOf = priceFrom(prices);

        const pnl = STRATEGIES.map(
          (id) => ledger.realizedPnl(id) + ledger.unrealizedPnl(id, priceOf) - ledger.commissions(id),
        );

        expect(pnl[0] + pnl[1]).toBeCloseTo(ledger.equity(priceOf) - INITIAL_CASH, 6);
        STRATEGIES.forEach((id, index) => {
          expect(ledger.strategyPnl(id, priceOf)).toBeCloseTo(pnl[index], 6);
          expect(ledger.strategyPnl(id, priceOf)).toBeCloseTo(ledger.cashFlow(id) + ledger.marketValue(priceOf, id), 6);
        });
      }),
      FAST_CHECK,
    );
  });

  it("restores a snapshot after a JSON round trip with identical numbers", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), closes, (steps, prices) => {
        const ledger = play(steps);
        const priceOf = priceFrom(prices);

        const restored = Ledger.fromSnapshot(JSON.parse(JSON.stringify(ledger.snapshot())));

        expect(restored.snapshot()).toEqual(ledger.snapshot());
        expect(restored.equity(priceOf)).toBe(ledger.equity(priceOf));
        for (const id of STRATEGIES) expect(restored.strategyPnl(id, priceOf)).toBe(ledger.strategyPnl(id, priceOf));
      }),
      FAST_CHECK,
    );
  });
});

describe("Ledger bookkeeping", () => {
  it("keeps an average cost and realizes P&L against it on a sell", () => {
    const ledger = new Ledger(10_000);
    ledger.applyFill(buy(10, 100));
    ledger.applyFill(buy(10, 110));

    const applied = ledger.applyFill(sell(5, 120));

    expect(applied).toEqual({ cashDelta: 600, realizedPnl: 75 });
    expect(ledger.position("alpha", "AAA")).toMatchObject({ qty: 15, costBasis: 1575, avgCost: 105, realizedPnl: 75 });
    expect(ledger.cash).toBe(10_000 - 2100 + 600);
  });

  it("releases the whole cost basis when a position is sold out in pieces", () => {
    const ledger = new Ledger(1000);
    ledger.applyFill(buy(3, 33.33));

    for (const fillPrice of [30, 35, 40]) ledger.applyFill(sell(1, fillPrice));

    expect(ledger.position("alpha", "AAA")).toMatchObject({ qty: 0, costBasis: 0, realizedPnl: 5.01 });
    expect(ledger.positions()).toEqual([]);
  });

  it("charges commissions to cash and to the strategy", () => {
    const ledger = new Ledger(10_000);

    ledger.applyFill(buy(10, 100, { commission: 1 }));

    expect(ledger.cash).toBe(8999);
    expect(ledger.commissions("alpha")).toBe(1);
    expect(ledger.strategyPnl("alpha", () => 100)).toBe(-1);
  });

  it("rounds each cash movement to cents, half away from zero", () => {
    const ledger = new Ledger(100);

    const applied = ledger.applyFill(buy(3, 0.335));

    expect(applied.cashDelta).toBe(-1.01);
    expect(ledger.cash).toBe(98.99);
  });

  it("keeps strategies apart and sums their holdings by symbol", () => {
    const ledger = new Ledger(10_000);
    ledger.applyFill(buy(2, 10));
    ledger.applyFill(buy(3, 10, { strategyId: "beta" }));
    ledger.applyFill(buy(1, 10, { symbol: "BBB" }));
    ledger.applyFill(sell(1, 10, { symbol: "BBB" }));

    expect(ledger.qtyBySymbol()).toEqual(new Map([["AAA", 5]]));
    expect(ledger.position("beta", "AAA").qty).toBe(3);
    expect(ledger.strategyIds()).toEqual(["alpha", "beta"]);
  });

  it("refuses to sell more than the strategy holds even when another strategy holds more, changing nothing", () => {
    const ledger = new Ledger(10_000);
    ledger.applyFill(buy(5, 10));
    ledger.applyFill(buy(10, 10, { strategyId: "beta" }));
    const before = ledger.snapshot();

    expect(() => ledger.applyFill(sell(6, 10))).toThrow("strategy alpha cannot sell 6 AAA: holds 5 (no shorting)");
    expect(() => ledger.applyFill(sell(1, 10, { symbol: "CCC" }))).toThrow("holds 0");
    expect(ledger.snapshot()).toEqual(before);
  });

  it("refuses fills with a non-positive quantity or price", () => {
    const ledger = new Ledger(10_000);

    expect(() => ledger.applyFill(buy(0, 10))).toThrow(RangeError);
    expect(() => ledger.applyFill(buy(1, Number.NaN))).toThrow(RangeError);
  });

  it("adjusts a position outside of trading without moving cash", () => {
    const ledger = new Ledger(10_000);

    ledger.adjustPosition("alpha", "AAA", 4, 25);
    ledger.adjustPosition("alpha", "AAA", -1, 0);

    expect(ledger.position("alpha", "AAA")).toMatchObject({ qty: 3, costBasis: 75, realizedPnl: 0 });
    expect(ledger.cash).toBe(10_000);
  });

  it("refuses to mark a held symbol without a price", () => {
    const ledger = new Ledger(10_000);
    ledger.applyFill(buy(1, 10));

    expect(() => ledger.equity(() => Number.NaN)).toThrow("no price to mark AAA");
  });

  it("refuses to restore something that is not a ledger snapshot", () => {
    const bad = { version: 1, initialCash: 1, cash: 1, holdings: [{ strategyId: "alpha", symbol: "AAA", qty: "1" }] };

    expect(() => Ledger.fromSnapshot(bad)).toThrow("not a ledger snapshot");
    expect(() => Ledger.fromSnapshot(null)).toThrow("not a ledger snapshot");
  });
});

describe("Ledger input checks, exactly", () => {
  it("refuses each bad fill with the reason, booking nothing", () => {
    const ledger = new Ledger(1000);
    const refused = (fill: Fill) => {
      try {
        ledger.applyFill(fill);
        return "booked";
      } catch (error) {
        return (error as Error).message;
      }
    };

    expect(refused(buy(Number.NaN, 10))).toBe("fill qty must be a positive number, got NaN");
    expect(refused(buy(0, 10))).toBe("fill qty must be a positive number, got 0");
    expect(refused(buy(Number.POSITIVE_INFINITY, 10))).toBe("fill qty must be a positive number, got Infinity");
    expect(refused(buy(1e-12, 10))).toBe("fill qty 1e-12 rounds to zero shares");
    expect(refused(buy(1, 0))).toBe("fill price must be a positive number, got 0");
    expect(refused(buy(1, -5))).toBe("fill price must be a positive number, got -5");
    expect(refused(buy(1, Number.POSITIVE_INFINITY))).toBe("fill price must be a positive number, got Infinity");
    expect(refused(buy(1, 10, { commission: -1 }))).toBe("commission must not be negative, got -1");
    expect(ledger.snapshot()).toEqual(new Ledger(1000).snapshot());
  });

  it("adjusts a position at a cost price of 0 or more only, also for a zero change", () => {
    const ledger = new Ledger(1000);
    ledger.adjustPosition("alpha", "AAA", 2, 0);
    expect(ledger.position("alpha", "AAA")).toMatchObject({ qty: 2, costBasis: 0 });

    for (const costPrice of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => ledger.adjustPosition("alpha", "AAA", 1, costPrice)).toThrow(`costPrice must be a number >= 0, got ${costPrice}`);
      expect(() => ledger.adjustPosition("alpha", "AAA", 0, costPrice)).toThrow(`costPrice must be a number >= 0, got ${costPrice}`);
    }
    expect(ledger.position("alpha", "AAA").qty).toBe(2);
  });

  it("shows a flat position's average cost as 0", () => {
    const ledger = new Ledger(1000);
    ledger.applyFill(buy(2, 10));
    ledger.applyFill(sell(2, 12));

    expect(ledger.position("alpha", "AAA")).toMatchObject({ qty: 0, costBasis: 0, avgCost: 0 });
  });

  it("refuses a snapshot whose holding has a non-string symbol or any one non-finite number", () => {
    const good = new Ledger(1000);
    good.applyFill(buy(2, 10));
    const snapshot = good.snapshot();
    const withHolding = (change: Record<string, unknown>) => ({ ...snapshot, holdings: [{ ...snapshot.holdings[0], ...change }] });

    expect(() => Ledger.fromSnapshot(withHolding({ symbol: 7 }))).toThrow("not a ledger snapshot (version 1)");
    for (const field of ["qty", "costBasis", "realizedPnl", "commissions", "cashFlow"]) {
      expect(() => Ledger.fromSnapshot(withHolding({ [field]: Number.NaN })), field).toThrow("not a ledger snapshot (version 1)");
    }
    expect(Ledger.fromSnapshot(withHolding({})).snapshot()).toEqual(snapshot);
  });
});
