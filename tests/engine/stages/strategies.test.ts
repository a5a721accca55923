import { describe, expect, it } from "vitest";
import { runStrategies } from "../../../src/engine/stages/strategies.js";
import { Ledger } from "../../../src/portfolio/index.js";
import type { Strategy } from "../../../src/strategies/index.js";
import { CAPITAL, stageRig } from "./fixtures.js";

/** A strategy that always asks for the same target weights. */
function fixed(id: string, weight: number, symbols: string[], targets: Record<string, number>, note?: string): Strategy {
  return {
    id, name: "fixed", symbols, requiredIndicators: [], allocation: { weight, rebalanceBand: 0 },
    onSession: () => ({ targets: new Map(Object.entries(targets)), ...(note ? { note } : {}) }),
  };
}

describe("the strategies stage", () => {
  it("turns targets into signals at the mark, exits a holding whole however small, and records blocked symbols as stopped at data quality", async () => {
    const rig = stageRig({ overrides: { MIN_ORDER_NOTIONAL: "100" } });
    rig.job.deps.strategies = [
      fixed("alpha", 0.5, ["AAA", "BBB", "CCC", "DDD"], { AAA: 0.5, CCC: 1, DDD: 1 }, "why"),
      fixed("beta", 0.25, ["AAA"], { AAA: 0 }),
      fixed("gamma", 0.25, ["AAA"], { AAA: 0.004 }),
    ];
    try {
      const ledger = new Ledger(CAPITAL);
      ledger.applyFill({ strategyId: "beta", symbol: "AAA", side: "buy", qty: 0.005, price: 100 });
      const ctx = rig.context({ ledger });
      ctx.equity = CAPITAL;
      ctx.quality.set("AAA", { blocked: false, reasons: [], markPrice: 100 });
      ctx.quality.set("BBB", { blocked: true, reasons: [{ code: "STALE_DATA", detail: "" }, { code: "NAN_VALUES", detail: "" }], markPrice: 100 });
      ctx.quality.set("CCC", { blocked: false, reasons: [], markPrice: 0 });
      ctx.quality.set("DDD", { blocked: false, reasons: [], markPrice: Number.NaN });

      runStrategies(ctx);

      expect(ctx.signals.map(({ strategyId, symbol, side, isEntry, currentValue, targetValue, price, reason }) => [strategyId, symbol, side, isEntry, currentValue, targetValue, price, reason])).toEqual([
        ["alpha", "AAA", "buy", true, 0, 25_000, 100, "ENTRY"],
        ["beta", "AAA", "sell", false, 0.5, 0, 100, "EXIT"],
        ["gamma", "AAA", "buy", true, 0, 100, 100, "ENTRY"],
      ]);
      expect(ctx.events.map((event) => `${event.type} ${event.reason} ${event.strategy} ${event.detail}`)).toEqual([
        "signal_generated ENTRY alpha target 0.5 of 50000.00: 0.00 → 25000.00 (why)",
        "signal_generated EXIT beta target 0 of 25000.00: 0.50 → 0.00",
        "signal_generated ENTRY gamma target 0.004 of 25000.00: 0.00 → 100.00",
      ]);
      expect(ctx.signalRows).toEqual([
        { runId: rig.job.runId, session: "2021-03-01", strategyId: "alpha", symbol: "BBB", targetWeight: null, stage: "data_quality", outcome: "rejected", reason: "STALE_DATA+NAN_VALUES" },
      ]);
      expect(ctx.state.funnel.strategies.alpha.passed).toMatchObject({ generated: 2, data_quality: 1 });
      expect(ctx.state.funnel.strategies.alpha.rejected).toEqual({ data_quality: { "STALE_DATA+NAN_VALUES": 1 } });
      expect(ctx.state.funnel.strategies.gamma.passed).toMatchObject({ generated: 1, data_quality: 1 });
    } finally {
      await rig.close();
    }
  });
});
