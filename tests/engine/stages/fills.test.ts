import { describe, expect, it } from "vitest";
import type { Order } from "../../../src/broker/types.js";
import type { TrackedOrder } from "../../../src/engine/index.js";
import { applyFills } from "../../../src/engine/stages/fills.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, scriptedBroker, stageRig, venueOrder } from "./fixtures.js";

const follow = (side: "buy" | "sell", symbol: string, strategyId: string, extra: Partial<TrackedOrder> = {}): TrackedOrder => ({
  orderId: `o-${symbol}`, clientOrderId: `c-${symbol}`, idempotencyKey: "k", strategyId, symbol, side, session: "2021-02-26",
  reason: side === "buy" ? "ENTRY" : "EXIT", reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0, ...extra,
});

describe("the fills stage", () => {
  it("books what each followed order filled since the last read, splits an operator's order and its commission, and reports orders that end unfilled", async () => {
    const rig = stageRig();
    const answers: Record<string, Partial<Order>[]> = {
      "c-AAA": [{ status: "filled", filledQty: 10, filledAvgPrice: 100, commission: 1 }],
      "c-BBB": [{ status: "partially_filled", filledQty: 2, filledAvgPrice: 60, commission: 0.5 }, { status: "filled", filledQty: 4, filledAvgPrice: 65, commission: 1 }],
      // one operator order, read once for each strategy it is followed for
      "c-CCC": [1, 2].map(() => ({ status: "filled" as const, filledQty: 5, filledAvgPrice: 10, commission: 1 })),
      "c-DDD": [{ status: "canceled" }],
      "c-EEE": [{ status: "rejected", reason: "symbol halted" }],
      "c-GGG": [{ status: "filled", filledQty: 5, filledAvgPrice: 20 }],
    };
    rig.job.deps.broker = scriptedBroker({
      read: (clientOrderId) => {
        if (clientOrderId === "c-FFF") throw new Error("socket hang up");
        const next = answers[clientOrderId]?.shift();
        return next ? venueOrder({ clientOrderId, symbol: clientOrderId.slice(2), side: "buy" }, next) : null;
      },
    });
    try {
      const ledger = new Ledger(CAPITAL);
      ledger.applyFill({ strategyId: "s2", symbol: "BBB", side: "buy", qty: 4, price: 50 });
      ledger.applyFill({ strategyId: "s3", symbol: "CCC", side: "buy", qty: 3, price: 8 });
      ledger.applyFill({ strategyId: "s4", symbol: "CCC", side: "buy", qty: 2, price: 8 });
      ledger.applyFill({ strategyId: "s7", symbol: "GGG", side: "buy", qty: 5, price: 20 });
      const ctx = rig.context({ ledger });
      ctx.state.openOrders.push(
        follow("buy", "AAA", "s1"),
        follow("sell", "BBB", "s2"),
        follow("sell", "CCC", "s3", { orderId: "op1", reason: "OPERATOR_FLATTEN", operatorShare: { afterQty: 0, qty: 3 } }),
        follow("sell", "CCC", "s4", { orderId: "op1", reason: "OPERATOR_FLATTEN", operatorShare: { afterQty: 3, qty: 2 } }),
        follow("buy", "DDD", "s5"),
        follow("buy", "EEE", "s6"),
        follow("buy", "FFF", "s8"),
        follow("buy", "GGG", "s7", { bookedQty: 5, bookedValue: 100 }),
      );

      await applyFills(ctx);

      expect(ctx.fills.map(({ strategyId, symbol, side, qty, price, commission }) => [strategyId, symbol, side, qty, price, commission])).toEqual([
        ["s1", "AAA", "buy", 10, 100, 1],
        ["s2", "BBB", "sell", 2, 60, 0.5],
        ["s3", "CCC", "sell", 3, 10, 0.6],
        ["s4", "CCC", "sell", 2, 10, 0.4],
      ]);
      expect(ledger.position("s4", "CCC")).toMatchObject({ qty: 0, commissions: 0.4, realizedPnl: 4 });
      // a sell's closed trade is its realized P&L less its commission
      expect(ctx.state.health.s2.at(-1)?.closedTrades).toEqual([{ session: "2021-03-01", pnl: 19.5 }]);
      expect(ctx.state.openOrders.map((order) => order.clientOrderId)).toEqual(["c-BBB", "c-FFF"]);
      expect(ctx.brokerReachable).toBe(false);
      expect(ctx.brokerError).toBe("socket hang up");
      expect(ctx.events.filter((event) => event.type !== "order_filled").map((event) => `${event.type} ${event.reason} ${event.strategy} ${event.symbol} ${event.detail}`)).toEqual([
        "order_canceled ORDER_CANCELED s5 DDD c-DDD canceled: no reason given",
        "order_rejected BROKER_REJECTED s6 EEE c-EEE rejected: symbol halted",
        "broker_unreachable BROKER_UNREACHABLE s8 FFF order c-FFF could not be read: socket hang up",
      ]);
      expect(ctx.state.funnel.strategies.s1.passed.filled).toBe(1);
      expect(ctx.state.funnel.strategies.s5.rejected).toEqual({ filled: { ORDER_CANCELED: 1 } });
      expect(ctx.state.funnel.strategies.s6.rejected).toEqual({ filled: { BROKER_REJECTED: 1 } });
      expect(ctx.state.funnel.strategies.s3).toBeUndefined();
      expect(ctx.state.funnel.strategies.s7.passed.filled).toBe(1);

      // the rest of the sell fills at the next read: 2 more at (4 × 65 − 2 × 60) / 2 = 70, commission 1 − 0.5
      await applyFills(ctx);
      expect(ctx.fills.at(-1)).toMatchObject({ strategyId: "s2", qty: 2, price: 70, commission: 0.5 });
      expect(ledger.position("s2", "BBB").qty).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
