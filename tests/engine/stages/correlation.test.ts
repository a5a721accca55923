import { describe, expect, it } from "vitest";
import type { SessionContext, TrackedOrder } from "../../../src/engine/index.js";
import { SessionCorrelations } from "../../../src/engine/stages/correlation.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { symbolCorrelation } from "../../../src/safety/index.js";
import { CAPITAL, stageRig } from "./fixtures.js";

const order = (side: "buy" | "sell", symbol: string): TrackedOrder => ({
  orderId: `o-${side}-${symbol}`, clientOrderId: `c-${side}-${symbol}`, idempotencyKey: "k", strategyId: "s", symbol, side, session: "2021-02-26",
  reason: "ENTRY", reservedNotional: 1000, bookedQty: 0, bookedValue: 0, bookedCommission: 0,
});

/** Four symbols that move together (one market factor), so every measurable pair correlates at 1. */
async function inSession(setUp: (ctx: SessionContext, ledger: Ledger) => void, check: (correlations: SessionCorrelations) => void): Promise<void> {
  const rig = stageRig({ symbols: ["AAA", "BBB", "CCC", "DDD"], paths: { volatility: 0.2, correlation: 1 } });
  try {
    const ledger = new Ledger(CAPITAL);
    const ctx = rig.context({ ledger });
    setUp(ctx, ledger);
    check(new SessionCorrelations(ctx));
  } finally {
    await rig.close();
  }
}

describe("the correlation rule in a session", () => {
  it("measures an entry against symbols held and open buys, never against an open sell", () =>
    inSession(
      (ctx) => ctx.state.openOrders.push(order("sell", "BBB")),
      (correlations) => expect(correlations.verdict("DDD")).toEqual({ applies: false, multiplier: 1, highest: null }),
    ));

  it("halves an entry correlated with an open buy or a holding, naming the pair", () =>
    inSession(
      (ctx, ledger) => {
        ctx.state.openOrders.push(order("buy", "CCC"));
        ledger.applyFill({ strategyId: "s", symbol: "BBB", side: "buy", qty: 1, price: 100 });
      },
      (correlations) => {
        const verdict = correlations.verdict("DDD");
        expect(verdict).toMatchObject({ applies: true, multiplier: 0.5, highest: { symbol: "BBB" } });
        expect(verdict.highest?.correlation).toBeCloseTo(1, 9);
        expect(correlations.verdict("BBB").highest?.symbol).toBe("CCC");
      },
    ));

  it("counts an entry sized earlier in the session as held", () =>
    inSession(
      () => {},
      (correlations) => {
        expect(correlations.verdict("DDD").highest).toBeNull();
        correlations.bought("AAA");
        expect(correlations.verdict("DDD")).toMatchObject({ applies: true, highest: { symbol: "AAA" } });
        expect(correlations.verdict("AAA").highest).toBeNull();
      },
    ));

  it("measures each pair as judging its bars afresh does, with bars rejected inside the look-back or not", async () => {
    const rig = stageRig({ symbols: ["AAA", "BBB", "CCC", "DDD"], paths: { volatility: 0.2, correlation: 0.5 } });
    try {
      const ctx = rig.context();
      const { bars, config } = ctx.deps;
      // A NaN close in AAA's window, a missing bar in BBB's; CCC and DDD keep every bar.
      bars.series("AAA").close[ctx.index - 5] = Number.NaN;
      bars.series("BBB").present[ctx.index - 20] = 0;
      const symbols = ["AAA", "BBB", "CCC", "DDD"];
      for (const [entry, held] of symbols.flatMap((a) => symbols.filter((b) => b !== a).map((b) => [a, b]))) {
        const afresh = symbolCorrelation(bars.series(entry), bars.series(held), ctx.index, { lookback: config.CORRELATION_LOOKBACK, outlierMaxMove: config.OUTLIER_MAX_MOVE });
        const correlations = new SessionCorrelations(ctx);
        correlations.bought(held);
        expect(Number.isNaN(afresh)).toBe(false);
        expect(correlations.verdict(entry).highest?.correlation, `${entry} against ${held}`).toBe(afresh);
      }
    } finally {
      await rig.close();
    }
  });

  it("cannot measure a holding without bars: no pair, no cut, no error", () =>
    inSession(
      (_ctx, ledger) => ledger.applyFill({ strategyId: "s", symbol: "ZZZ", side: "buy", qty: 1, price: 100 }),
      (correlations) => {
        expect(correlations.verdict("AAA")).toEqual({ applies: false, multiplier: 1, highest: null });
        expect(correlations.verdict("ZZY")).toEqual({ applies: false, multiplier: 1, highest: null });
      },
    ));
});
