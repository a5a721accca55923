import { describe, expect, it } from "vitest";
import type { SessionContext, Signal, TrackedOrder } from "../../../src/engine/index.js";
import { sizeOrders } from "../../../src/engine/stages/sizing.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, stageRig } from "./fixtures.js";

const entry = (strategyId: string, symbol: string, targetValue: number): Signal => ({
  strategyId, symbol, side: "buy", isEntry: true, targetWeight: 1, currentValue: 0, targetValue, price: 100, reason: "ENTRY",
});
const exit = (strategyId: string, symbol: string, currentValue: number, targetValue: number): Signal => ({
  strategyId, symbol, side: "sell", isEntry: false, targetWeight: 0, currentValue, targetValue, price: 100, reason: "EXIT",
});
const open = (side: "buy" | "sell", symbol: string, reservedNotional: number, bookedValue: number): TrackedOrder => ({
  orderId: `o-${side}-${symbol}`, clientOrderId: `c-${side}-${symbol}`, idempotencyKey: "k", strategyId: "other", symbol, side, session: "2021-02-26",
  reason: "ENTRY", reservedNotional, bookedQty: 0, bookedValue, bookedCommission: 0,
});
const outcome = (signal: Signal) => (signal.stoppedAt ? `${signal.stoppedAt} ${signal.stopReason}` : signal.order);
const detailsOf = (ctx: SessionContext, type: string) => ctx.events.filter((event) => event.type === type).map((event) => `${event.reason} ${event.detail}`);

async function sized(overrides: Record<string, string>, setUp: (ctx: SessionContext) => void): Promise<SessionContext> {
  const rig = stageRig({ overrides });
  try {
    const ledger = new Ledger(CAPITAL);
    ledger.applyFill({ strategyId: "bh_aaa", symbol: "AAA", side: "buy", qty: 10, price: 100 });
    ledger.applyFill({ strategyId: "tiny", symbol: "AAA", side: "buy", qty: 0.1, price: 100 });
    const ctx = rig.context({ ledger });
    ctx.equity = CAPITAL;
    for (const symbol of ["AAA", "BBB"]) ctx.quality.set(symbol, { blocked: false, reasons: [], markPrice: 100 });
    setUp(ctx);
    sizeOrders(ctx);
    return ctx;
  } finally {
    await rig.close();
  }
}

describe("the sizing stage: exits", () => {
  it("sells a full exit whole however small, and stops a partial exit under the minimum or an exit with nothing to sell", async () => {
    const signals = [exit("bh_aaa", "AAA", 1000, 0), exit("tiny", "AAA", 10, 0), exit("bh_aaa", "AAA", 1000, 950), exit("nobody", "AAA", 0, 0), exit("bh_aaa", "AAA", 1000, 300)];
    const ctx = await sized({ MIN_ORDER_NOTIONAL: "60" }, (session) => session.signals.push(...signals));

    expect(signals.map(outcome)).toEqual([{ qty: 10 }, { qty: 0.1 }, "sizing_risk BELOW_MIN_NOTIONAL", "sizing_risk BELOW_MIN_NOTIONAL", { qty: 7 }]);
    expect(detailsOf(ctx, "signal_rejected")).toEqual([
      "BELOW_MIN_NOTIONAL sell AAA stopped at sizing_risk: sell qty=0.5 of held=10 at 100",
      "BELOW_MIN_NOTIONAL sell AAA stopped at sizing_risk: sell qty=0 of held=0 at 100",
    ]);
  });

  it("counts every exit it will send against MAX_DAILY_ORDERS before any entry, but never one it stops", async () => {
    const signals = [entry("bh_bbb", "BBB", 1000), exit("bh_aaa", "AAA", 1000, 0), exit("nobody", "AAA", 0, 0), entry("bh_ccc", "BBB", 1000)];
    await sized({ MAX_DAILY_ORDERS: "2" }, (ctx) => ctx.signals.push(...signals));

    expect(signals.map(outcome)).toEqual([{ notional: 1000 }, { qty: 10 }, "sizing_risk BELOW_MIN_NOTIONAL", "sizing_risk MAX_DAILY_ORDERS"]);
  });

  it("stops every entry when the exits already use up the cap", async () => {
    const signals = [entry("bh_bbb", "BBB", 1000), exit("bh_aaa", "AAA", 1000, 0), entry("bh_ccc", "BBB", 1000)];
    await sized({ MAX_DAILY_ORDERS: "1" }, (ctx) => ctx.signals.push(...signals));

    expect(signals.map(outcome)).toEqual(["sizing_risk MAX_DAILY_ORDERS", { qty: 10 }, "sizing_risk MAX_DAILY_ORDERS"]);
  });

  it("leaves signals another stage stopped alone", async () => {
    const stopped = { ...entry("bh_bbb", "BBB", 1000), stoppedAt: "kill_switch" as const, stopReason: "KILL_SWITCH_GLOBAL" };
    await sized({}, (ctx) => ctx.signals.push(stopped));

    expect(stopped.order).toBeUndefined();
  });
});

describe("the sizing stage: the session's budget", () => {
  it("spends cash less the unfilled part of open buys, each entry paying its notional and commission, in ranking order", async () => {
    const signals = [entry("e1", "BBB", 50_000), entry("e2", "BBB", 40_000), entry("e3", "BBB", 10_000)];
    const ctx = await sized({ COMMISSION_PER_ORDER: "1", MIN_ORDER_NOTIONAL: "5" }, (session) => {
      session.state.openOrders.push(open("buy", "AAA", 30_000, 10_000), open("sell", "AAA", 5_000, 0));
      session.signals.push(...signals);
    });

    // cash 100,000 − 1,010 bought = 98,990; 20,000 still promised to the open buy: 78,990 to spend
    expect(signals.map(outcome)).toEqual([{ notional: 50_000 }, { notional: 28_988 }, "sizing_risk INSUFFICIENT_BUYING_POWER"]);
    expect(detailsOf(ctx, "signal_resized")).toEqual(["INSUFFICIENT_BUYING_POWER buy BBB asked=40000.00 sized=28988.00 multiplier=1"]);
    expect(detailsOf(ctx, "signal_rejected")).toEqual([
      "INSUFFICIENT_BUYING_POWER buy BBB stopped at sizing_risk: wanted=10000.00 affordable=-1.00 multiplier=1 min=5",
    ]);
  });

  it("caps a symbol across strategies at MAX_POSITION_PCT: holdings at the mark, open buys' unfilled part and this session's entries", async () => {
    const signals = [entry("e1", "BBB", 3_000), entry("e2", "BBB", 6_000), entry("e3", "AAA", 9_000)];
    const ctx = await sized({ MAX_POSITION_PCT: "0.1" }, (session) => {
      session.state.openOrders.push(open("buy", "BBB", 3_000, 1_000), open("sell", "BBB", 4_000, 0));
      session.signals.push(...signals);
    });

    // BBB: 2,000 open, then 3,000, leaves 5,000 of 10,000; AAA holds 10.1 × 100 = 1,010
    expect(signals.map(outcome)).toEqual([{ notional: 3_000 }, { notional: 5_000 }, { notional: 8_990 }]);
    expect(detailsOf(ctx, "signal_resized")).toEqual([
      "MAX_POSITION_PCT buy BBB asked=6000.00 sized=5000.00 multiplier=1 max_position_pct=0.1 equity=100000.00 exposure=5000.00",
      "MAX_POSITION_PCT buy AAA asked=9000.00 sized=8990.00 multiplier=1 max_position_pct=0.1 equity=100000.00 exposure=1010.00",
    ]);
  });
});
