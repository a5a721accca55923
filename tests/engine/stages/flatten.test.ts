import { describe, expect, it } from "vitest";
import type { Order } from "../../../src/broker/types.js";
import type { Signal, TrackedOrder } from "../../../src/engine/index.js";
import { addFlattenOrders } from "../../../src/engine/stages/flatten.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, scriptedBroker, stageRig, venueOrder } from "./fixtures.js";

const tracked = (side: "buy" | "sell", symbol: string, strategyId: string): TrackedOrder => ({
  orderId: `o-${side}-${symbol}`, clientOrderId: `c-${side}-${symbol}`, idempotencyKey: "k", strategyId, symbol, side, session: "2021-02-26",
  reason: "ENTRY", reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0,
});

async function flattenClose(flatten: boolean) {
  const rig = stageRig();
  const reads = new Map<string, Order["status"][]>([
    ["c-buy-AAA", ["new", "canceled"]], // open, withdrawn
    ["c-sell-BBB", ["new", "new"]], // open, and still open after the cancel failed
    ["c-buy-CCC", ["canceled"]], // already done
  ]);
  const broker = scriptedBroker({
    read: (clientOrderId) => {
      const status = reads.get(clientOrderId)?.shift();
      return status === undefined ? null : venueOrder({ clientOrderId, symbol: clientOrderId.slice(-3), side: clientOrderId.includes("buy") ? "buy" : "sell" }, { status, id: `o${clientOrderId.slice(1)}` });
    },
    cancel: (orderId) => {
      if (orderId === "o-sell-BBB") throw new Error("order is not cancelable");
    },
  });
  rig.job.deps.broker = broker;
  try {
    const ledger = new Ledger(CAPITAL);
    ledger.applyFill({ strategyId: "s1", symbol: "AAA", side: "buy", qty: 3, price: 100 });
    ledger.applyFill({ strategyId: "s2", symbol: "BBB", side: "buy", qty: 2, price: 100 });
    ledger.applyFill({ strategyId: "s3", symbol: "CCC", side: "buy", qty: 1.5, price: 10 });
    const ctx = rig.context({ ledger });
    ctx.flatten = flatten;
    ctx.quality.set("AAA", { blocked: false, reasons: [], markPrice: 100 });
    ctx.state.marks.CCC = 8;
    ctx.state.openOrders.push(tracked("buy", "AAA", "s1"), tracked("sell", "BBB", "s2"), tracked("buy", "CCC", "s3"), tracked("buy", "DDD", "s4"));
    const ownExit: Signal = { strategyId: "s1", symbol: "AAA", side: "sell", isEntry: false, targetWeight: 0.1, currentValue: 300, targetValue: 100, price: 100, reason: "EXIT" };
    const entry: Signal = { ...ownExit, side: "buy", isEntry: true, targetValue: 500, reason: "ENTRY" };
    const stoppedExit: Signal = { ...ownExit, strategyId: "s3", symbol: "CCC", stoppedAt: "sizing_risk", stopReason: "BELOW_MIN_NOTIONAL" };
    ctx.signals.push(entry, stoppedExit, ownExit);
    await addFlattenOrders(ctx);
    return { ctx, broker, ownExit, entry, stoppedExit };
  } finally {
    await rig.close();
  }
}

describe("the flatten stage", () => {
  it("does nothing on a close without a flatten attempt", async () => {
    const { ctx, broker } = await flattenClose(false);

    expect(broker.calls).toEqual([]);
    expect(ctx.signals).toHaveLength(3);
    expect(ctx.state.openOrders).toHaveLength(4);
  });

  it("withdraws every followed order first, then sells each holding whole, deferring one whose pending sell is still live", async () => {
    const { ctx, broker, ownExit, entry, stoppedExit } = await flattenClose(true);

    expect(broker.calls).toEqual([
      "read c-buy-AAA", "cancel o-buy-AAA", "read c-buy-AAA",
      "read c-sell-BBB", "cancel o-sell-BBB", "read c-sell-BBB",
      "read c-buy-CCC",
      "read c-buy-DDD",
    ]);
    expect(ctx.state.openOrders.map((order) => order.clientOrderId)).toEqual(["c-sell-BBB", "c-buy-DDD"]);
    expect(ctx.events.map((event) => `${event.type} ${event.reason} ${event.detail}`).filter((line) => !line.startsWith("order_canceled"))).toEqual([
      "order_cancel_requested PANIC_FLATTEN c-buy-AAA: withdrawn before a new flatten attempt",
      "order_cancel_failed PANIC_FLATTEN c-sell-BBB: order is not cancelable",
      "flatten_deferred PANIC_FLATTEN BBB: a pending sell could not be withdrawn; no second sell sent",
    ]);
    expect(ctx.events.find((event) => event.type === "flatten_deferred")).toMatchObject({ strategy: "s2", symbol: "BBB" });
    // the strategy's own exit of AAA becomes the flatten; its entry and the stopped exit stay as they were
    expect(ownExit).toMatchObject({ targetWeight: 0, targetValue: 0, reason: "PANIC_FLATTEN", flatten: true, currentValue: 300, price: 100 });
    expect(entry).toMatchObject({ reason: "ENTRY", targetValue: 500 });
    expect(entry.flatten).toBeUndefined();
    expect(stoppedExit.flatten).toBeUndefined();
    expect(ctx.signals.slice(3)).toEqual([
      { strategyId: "s3", symbol: "CCC", side: "sell", isEntry: false, currentValue: 12, price: 8, targetWeight: 0, targetValue: 0, reason: "PANIC_FLATTEN", flatten: true },
    ]);
    expect(ctx.state.funnel.strategies.s3.passed).toMatchObject({ generated: 1, data_quality: 1 });
  });
});
