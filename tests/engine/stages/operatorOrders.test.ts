import { describe, expect, it } from "vitest";
import type { TrackedOrder } from "../../../src/engine/index.js";
import { filledShare } from "../../../src/engine/stages/operatorOrders.js";

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
