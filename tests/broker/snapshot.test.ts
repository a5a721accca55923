import { describe, expect, it } from "vitest";
import { SimulatedBroker } from "../../src/broker/index.js";
import { barStore, flat, ManualClock } from "./fixtures.js";

describe("a simulated broker's snapshot", () => {
  it("restores the same account, positions, orders and random draws into a new broker", async () => {
    const bars = barStore({ AAA: [...flat(10, 3), [11, 12], [12, 13], ...flat(13, 5)] });
    const clock = new ManualClock();
    const faults = [{ kind: "reject" as const, fromIndex: 0, toIndex: 10, rate: 0.5 }];
    const original = new SimulatedBroker({ bars, clock, initialCash: 1000, seed: 3, faults });
    original.onSessionClose(0);
    await original.submitOrder({ symbol: "AAA", side: "buy", type: "market", timeInForce: "day", notional: 100, clientOrderId: "a1" });
    original.onSessionOpen(1);
    original.onSessionClose(1);
    await original.submitOrder({ symbol: "AAA", side: "buy", type: "market", timeInForce: "day", qty: 2, clientOrderId: "a2" });

    const copy = new SimulatedBroker({ bars, clock, initialCash: 1, seed: "other", faults });
    copy.restore(JSON.parse(JSON.stringify(original.snapshot())));

    expect(await copy.getAccount()).toEqual(await original.getAccount());
    expect(await copy.getPositions()).toEqual(await original.getPositions());
    expect(await copy.getOrderByClientOrderId("a2")).toEqual(await original.getOrderByClientOrderId("a2"));
    const next = { symbol: "AAA", side: "buy" as const, type: "market" as const, timeInForce: "day" as const, qty: 1 };
    for (const id of ["b1", "b2", "b3", "b4"]) {
      const [a, b] = [await original.submitOrder({ ...next, clientOrderId: id }), await copy.submitOrder({ ...next, clientOrderId: id })];
      expect(b).toEqual(a);
    }
    copy.onSessionOpen(2);
    original.onSessionOpen(2);
    expect(await copy.listOrders({ status: "all" })).toEqual(await original.listOrders({ status: "all" }));
  });
});
