import { describe, expect, it } from "vitest";
import type { TrackedOrder } from "../../../src/engine/index.js";
import {
  adoptOperatorOrders, filledShare, forgetAdoptedOperatorOrders, OPERATOR_ORDERS_STATE_KEY, queuedOperatorOrders, queueOperatorOrders,
} from "../../../src/engine/stages/operatorOrders.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { CAPITAL, stageRig } from "./fixtures.js";

function followed(operatorShare?: TrackedOrder["operatorShare"]): TrackedOrder {
  return {
    orderId: "o1", clientOrderId: "c1", idempotencyKey: "k1", strategyId: "one", symbol: "AAA", side: "sell", session: "2024-01-02",
    reason: "OPERATOR_FLATTEN", reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0, operatorShare,
  };
}

describe("filledShare", () => {
  it("gives an engine's own order all of its filled quantity", () => {
    expect(filledShare(followed(), 7.5)).toBe(7.5);
  });

  it("fills an operator order's shares in ledger order, each up to its holding, partial fills included", () => {
    const first = followed({ afterQty: 0, qty: 3 });
    const second = followed({ afterQty: 3, qty: 2.000000001 });

    expect([0, 1.5, 3, 4, 5.000000001].map((filled) => [filledShare(first, filled), filledShare(second, filled)])).toEqual([
      [0, 0], [1.5, 0], [3, 0], [3, 1], [3, 2.000000001],
    ]);
  });
});

describe("operator orders through the open", () => {
  const queued = (orderId: string, symbol: string, qty: number) => ({ orderId, clientOrderId: `c-${orderId}`, symbol, qty, session: "2021-02-26" });

  it("follows a queued sell as one share per strategy holding the symbol, in ledger order, and reports one it cannot follow", async () => {
    const rig = stageRig();
    try {
      const ledger = new Ledger(CAPITAL);
      ledger.applyFill({ strategyId: "one", symbol: "AAA", side: "buy", qty: 3, price: 10 });
      ledger.applyFill({ strategyId: "two", symbol: "BBB", side: "buy", qty: 1, price: 10 });
      ledger.applyFill({ strategyId: "two", symbol: "AAA", side: "buy", qty: 2.5, price: 10 });
      const ctx = rig.context({ ledger });
      queueOperatorOrders(rig.job.deps.store, [queued("op1", "AAA", 5.5), queued("op2", "ZZZ", 2)]);

      adoptOperatorOrders(ctx);

      expect(ctx.adoptedOperatorOrders).toEqual(["op1", "op2"]);
      expect(ctx.state.openOrders).toEqual([
        {
          orderId: "op1", clientOrderId: "c-op1", idempotencyKey: "operator:c-op1", strategyId: "one", symbol: "AAA", side: "sell", session: "2021-02-26",
          reason: "OPERATOR_FLATTEN", reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0, operatorShare: { afterQty: 0, qty: 3 },
        },
        {
          orderId: "op1", clientOrderId: "c-op1", idempotencyKey: "operator:c-op1", strategyId: "two", symbol: "AAA", side: "sell", session: "2021-02-26",
          reason: "OPERATOR_FLATTEN", reservedNotional: 0, bookedQty: 0, bookedValue: 0, bookedCommission: 0, operatorShare: { afterQty: 3, qty: 2.5 },
        },
      ]);
      expect(ctx.events.map(({ type, reason, detail, symbol, data }) => ({ type, reason, detail, symbol, data }))).toEqual([
        { type: "operator_order_adopted", reason: "OPERATOR_FLATTEN", detail: "c-op1: sell 5.5 AAA followed for one 3, two 2.5", symbol: "AAA", data: { orderId: "op1", clientOrderId: "c-op1", qty: 5.5 } },
        { type: "operator_order_untracked", reason: "OPERATOR_FLATTEN", detail: "c-op2: sell 2 ZZZ, which the book does not hold", symbol: "ZZZ", data: { orderId: "op2", clientOrderId: "c-op2", qty: 2 } },
      ]);
    } finally {
      await rig.close();
    }
  });

  it("queues behind orders already waiting, and forgets only the adopted ones (the key goes once the queue is empty)", async () => {
    const rig = stageRig();
    try {
      const { store } = rig.job.deps;
      queueOperatorOrders(store, [queued("op1", "AAA", 1)]);
      queueOperatorOrders(store, [queued("op2", "BBB", 2), queued("op3", "AAA", 3)]);
      expect(queuedOperatorOrders(store).map((order) => order.orderId)).toEqual(["op1", "op2", "op3"]);
      // under the key `tradeguard status` and an operator's sqlite3 read
      expect(store.getSystemState<{ orderId: string }[]>("operator_orders")?.map((order) => order.orderId)).toEqual(["op1", "op2", "op3"]);

      forgetAdoptedOperatorOrders(store, ["op1", "op3"]);
      expect(queuedOperatorOrders(store).map((order) => order.orderId)).toEqual(["op2"]);

      forgetAdoptedOperatorOrders(store, ["op2"]);
      expect(store.getSystemState(OPERATOR_ORDERS_STATE_KEY)).toBeUndefined();
      expect(queuedOperatorOrders(store)).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
