import { describe, it, expect } from "vitest";
import {
  DUPLICATE_CLIENT_ORDER_ID_MESSAGE,
  MAX_OPEN_SESSIONS,
  type BrokerFault,
  type OrderRequest,
  type SimulatedBroker,
  type SimulatedBrokerOptions,
} from "../../src/broker/index.js";
import { runBrokerContract } from "./contract.js";
import { ManualClock, barStore, brokerErrorOf, flat, runSessions, simulatedBroker, type Bar } from "./fixtures.js";

runBrokerContract("SimulatedBroker", () => {
  const broker = simulatedBroker({ bars: barStore({ AAA: flat(100, 30) }) });
  let session = 0;
  runSessions(broker, 0, 0);
  broker.onSessionOpen(++session);
  return {
    broker,
    symbol: "AAA",
    advance: () => {
      broker.onSessionClose(session);
      broker.onSessionOpen(++session);
    },
  };
});

let nextClientOrderId = 0;
function order(request: Partial<OrderRequest>): OrderRequest {
  return {
    symbol: "AAA",
    side: "buy",
    type: "market",
    timeInForce: "day",
    clientOrderId: `c-${++nextClientOrderId}`,
    ...request,
  };
}

/** A broker over `rows` of AAA (plus flat BBB) that has seen session 0's open and close. */
function afterFirstClose(rows: readonly Bar[], options: Partial<SimulatedBrokerOptions> = {}): SimulatedBroker {
  const broker = simulatedBroker({ bars: barStore({ AAA: rows, BBB: flat(50, rows.length) }), ...options });
  runSessions(broker, 0, 0);
  return broker;
}

describe("SimulatedBroker fills", () => {
  it("fills a market buy at the next session's open, not at the close it was placed at", async () => {
    const broker = afterFirstClose([[100, 101], [105, 107]]);
    const placed = await broker.submitOrder(order({ qty: 10, clientOrderId: "next-open" }));

    broker.onSessionOpen(1);

    expect(placed).toMatchObject({ status: "new", filledQty: 0 });
    expect(await broker.getOrderByClientOrderId("next-open")).toMatchObject({
      status: "filled",
      filledQty: 10,
      filledAvgPrice: 105,
    });
    expect((await broker.getAccount()).cash).toBe(8950);
  });

  it("applies slippage against the trader and charges commission once per order", async () => {
    const broker = afterFirstClose([[100, 100], [100, 100], [110, 110]], { slippageBps: 10, commissionPerOrder: 1.5 });
    await broker.submitOrder(order({ qty: 10, clientOrderId: "slip-buy" }));
    runSessions(broker, 1, 1);
    await broker.submitOrder(order({ side: "sell", qty: 10, clientOrderId: "slip-sell" }));

    broker.onSessionOpen(2);

    const bought = await broker.getOrderByClientOrderId("slip-buy");
    const sold = await broker.getOrderByClientOrderId("slip-sell");
    expect(bought?.filledAvgPrice).toBeCloseTo(100.1, 10);
    expect(sold?.filledAvgPrice).toBeCloseTo(109.89, 10);
    expect([bought?.commission, sold?.commission]).toEqual([1.5, 1.5]);
    expect((await broker.getAccount()).cash).toBe(10_000 - 1001 - 1.5 + 1098.9 - 1.5);
  });

  it("sizes a notional buy as fractional shares at the fill price", async () => {
    const broker = afterFirstClose([[300, 300], [300, 300]]);
    await broker.submitOrder(order({ notional: 1000, clientOrderId: "notional" }));

    broker.onSessionOpen(1);

    expect(await broker.getOrderByClientOrderId("notional")).toMatchObject({
      status: "filled",
      qty: null,
      filledQty: 3.333333333,
    });
    expect((await broker.getAccount()).cash).toBe(9000);
  });

  it("sizes a notional buy in whole shares when fractional trading is off", async () => {
    const broker = afterFirstClose([[300, 300], [300, 300]], { allowFractional: false });
    await broker.submitOrder(order({ notional: 1000, clientOrderId: "whole" }));

    broker.onSessionOpen(1);

    expect((await broker.getOrderByClientOrderId("whole"))?.filledQty).toBe(3);
    expect((await broker.getAccount()).cash).toBe(9100);
  });

  it("refuses a fractional qty when fractional trading is off", async () => {
    const broker = afterFirstClose([[300, 300]], { allowFractional: false });

    const error = await brokerErrorOf(broker.submitOrder(order({ qty: 1.5 })));

    expect(error).toMatchObject({ status: 422, code: "INVALID_ORDER" });
  });

  it("rejects at the fill a notional buy worth less than one share when fractional trading is off", async () => {
    const broker = afterFirstClose([[300, 300], [300, 300]], { allowFractional: false });
    await broker.submitOrder(order({ notional: 50, clientOrderId: "too-small" }));

    broker.onSessionOpen(1);

    const rejected = await broker.getOrderByClientOrderId("too-small");
    expect(rejected?.status).toBe("rejected");
    expect(rejected?.reason).toContain("less than one whole share");
  });

  it("keeps an order open through sessions without a usable bar and fills at the next open that has one", async () => {
    const broker = afterFirstClose([[100, 100], null, [Number.NaN, 100], [103, 104]]);
    await broker.submitOrder(order({ qty: 1, clientOrderId: "gap" }));

    runSessions(broker, 1, 2);
    const waiting = await broker.getOrderByClientOrderId("gap");
    broker.onSessionOpen(3);

    expect(waiting?.status).toBe("new");
    expect(await broker.getOrderByClientOrderId("gap")).toMatchObject({ status: "filled", filledAvgPrice: 103 });
  });

  it("expires an order that finds no bar for more than five sessions", async () => {
    const broker = afterFirstClose([[100, 100], null, null, null, null, null, null, [100, 100]]);
    await broker.submitOrder(order({ qty: 1, clientOrderId: "stale" }));

    runSessions(broker, 1, MAX_OPEN_SESSIONS);
    const lastTry = await broker.getOrderByClientOrderId("stale");
    broker.onSessionOpen(MAX_OPEN_SESSIONS + 1);

    expect(lastTry?.status).toBe("new");
    const expired = await broker.getOrderByClientOrderId("stale");
    expect(expired?.status).toBe("expired");
    expect(expired?.reason).toContain("no bar for AAA");
  });

  it("fills a limit buy only at an open at or below the limit", async () => {
    const broker = afterFirstClose([[100, 100], [100, 100], [98, 99]]);
    await broker.submitOrder(order({ type: "limit", timeInForce: "gtc", limitPrice: 99, qty: 1, clientOrderId: "limit" }));

    runSessions(broker, 1, 1);
    const above = await broker.getOrderByClientOrderId("limit");
    broker.onSessionOpen(2);

    expect(above?.status).toBe("new");
    expect(await broker.getOrderByClientOrderId("limit")).toMatchObject({ status: "filled", filledAvgPrice: 98 });
  });

  it("expires a day limit order at the close when the open did not reach it", async () => {
    const broker = afterFirstClose([[100, 100], [100, 100]]);
    await broker.submitOrder(order({ type: "limit", limitPrice: 99, qty: 1, clientOrderId: "day-limit" }));

    runSessions(broker, 1, 1);

    const expired = await broker.getOrderByClientOrderId("day-limit");
    expect(expired?.status).toBe("expired");
    expect(expired?.reason).toContain("did not reach limit 99");
  });

  it("fills sells before buys at one open so the proceeds can fund the purchases", async () => {
    const broker = afterFirstClose([[100, 100], [100, 100], [120, 120]], { initialCash: 1250 });
    await broker.submitOrder(order({ symbol: "BBB", qty: 5 }));
    runSessions(broker, 1, 1);
    await broker.submitOrder(order({ qty: 10, clientOrderId: "funded-buy" }));
    await broker.submitOrder(order({ symbol: "BBB", side: "sell", qty: 5 }));

    broker.onSessionOpen(2);

    expect((await broker.getOrderByClientOrderId("funded-buy"))?.status).toBe("filled");
    expect((await broker.getAccount()).cash).toBe(50);
  });

  it("marks equity and positions at the last close", async () => {
    const broker = afterFirstClose([[100, 100], [100, 120]]);
    await broker.submitOrder(order({ qty: 10 }));

    runSessions(broker, 1, 1);

    expect(await broker.getAccount()).toEqual({ cash: 9000, equity: 10_200, buyingPower: 9000, tradingBlocked: false });
    expect(await broker.getPositions()).toEqual([
      { symbol: "AAA", qty: 10, avgEntryPrice: 100, currentPrice: 120, marketValue: 1200, costBasis: 1000, unrealizedPl: 200 },
    ]);
  });

  it("numbers orders sim-000001 onwards and stamps them with the clock", async () => {
    const clock = new ManualClock(1_000);
    const broker = afterFirstClose(flat(100, 3), { clock });

    const first = await broker.submitOrder(order({ qty: 1 }));
    const second = await broker.submitOrder(order({ qty: 1 }));
    clock.ms = 2_000;
    broker.onSessionOpen(1);

    expect([first.id, second.id]).toEqual(["sim-000001", "sim-000002"]);
    expect(first.submittedAt).toBe(1_000);
    expect((await broker.getOrderByClientOrderId(first.clientOrderId))?.filledAt).toBe(2_000);
  });

  it("lists only orders submitted at or after a given time", async () => {
    const clock = new ManualClock(1_000);
    const broker = afterFirstClose(flat(100, 3), { clock });
    await broker.submitOrder(order({ qty: 1 }));
    clock.ms = 2_000;
    const later = await broker.submitOrder(order({ qty: 1 }));

    const listed = await broker.listOrders({ status: "all", after: 2_000 });

    expect(listed.map((listedOrder) => listedOrder.id)).toEqual([later.id]);
  });

  it("cancels open orders before placing the sells that close all positions", async () => {
    const broker = afterFirstClose(flat(100, 3));
    await broker.submitOrder(order({ qty: 4 }));
    runSessions(broker, 1, 1);
    const pending = await broker.submitOrder(order({ symbol: "BBB", qty: 1 }));

    const closing = await broker.closeAllPositions();

    expect((await broker.getOrderByClientOrderId(pending.clientOrderId))?.status).toBe("canceled");
    expect(closing).toMatchObject([{ symbol: "AAA", side: "sell", qty: 4, status: "new" }]);
  });

  it("changes its position behind the engine's back through the fault-injection hook, moving no cash", async () => {
    const broker = afterFirstClose(flat(100, 2));

    broker.adjustPosition("AAA", 3);

    expect((await broker.getPositions()).map(({ symbol, qty }) => ({ symbol, qty }))).toEqual([{ symbol: "AAA", qty: 3 }]);
    expect((await broker.getAccount()).cash).toBe(10_000);
  });
});

describe("SimulatedBroker refusals", () => {
  it.each<[string, Partial<OrderRequest>]>([
    ["an unknown symbol", { symbol: "ZZZ", qty: 1 }],
    ["both qty and notional", { qty: 1, notional: 100 }],
    ["neither qty nor notional", {}],
    ["a zero qty", { qty: 0 }],
    ["a notional limit order", { type: "limit", limitPrice: 100, notional: 100 }],
    ["a limit order without a limit price", { type: "limit", qty: 1 }],
  ])("refuses %s with a 422", async (_, request) => {
    const broker = afterFirstClose(flat(100, 2));

    const error = await brokerErrorOf(broker.submitOrder(order(request)));

    expect(error).toMatchObject({ status: 422, code: "INVALID_ORDER" });
  });

  it("refuses a buy beyond buying power and says what was required and available", async () => {
    const broker = afterFirstClose(flat(100, 2), { initialCash: 1000 });

    const error = await brokerErrorOf(broker.submitOrder(order({ qty: 11 })));

    expect(error).toMatchObject({ status: 403, code: "INSUFFICIENT_BUYING_POWER" });
    expect(error.message).toBe("insufficient buying power: required=1100.00 available=1000.00");
  });

  it("counts cash held for open buys, commission included, against buying power", async () => {
    const broker = afterFirstClose(flat(100, 2), { initialCash: 1000, commissionPerOrder: 1 });
    await broker.submitOrder(order({ qty: 6 }));

    const error = await brokerErrorOf(broker.submitOrder(order({ qty: 4 })));

    expect(error.message).toBe("insufficient buying power: required=401.00 available=399.00");
    expect((await broker.getAccount()).buyingPower).toBe(399);
  });

  it("refuses a sell of more shares than held net of open sells", async () => {
    const broker = afterFirstClose(flat(100, 3));
    await broker.submitOrder(order({ qty: 5 }));
    runSessions(broker, 1, 1);
    await broker.submitOrder(order({ side: "sell", qty: 3 }));

    const error = await brokerErrorOf(broker.submitOrder(order({ side: "sell", qty: 3 })));

    expect(error).toMatchObject({ status: 403, code: "INVALID_ORDER" });
    expect(error.message).toBe("insufficient qty available for order (requested: 3, available: 2)");
  });

  it("rejects a qty buy at the fill when the open gaps above the cash it has", async () => {
    const broker = afterFirstClose([[100, 100], [150, 150]], { initialCash: 1000 });
    await broker.submitOrder(order({ qty: 9, clientOrderId: "gap-up" }));

    broker.onSessionOpen(1);

    const rejected = await broker.getOrderByClientOrderId("gap-up");
    expect(rejected).toMatchObject({ status: "rejected", filledQty: 0 });
    expect(rejected?.reason).toBe("insufficient cash at fill: required=1350.00 available=1000.00");
    expect((await broker.getAccount()).cash).toBe(1000);
    expect(await broker.getPositions()).toEqual([]);
  });
});

describe("SimulatedBroker faults", () => {
  const during = (kind: BrokerFault["kind"], rate = 1): BrokerFault[] => [{ kind, fromIndex: 0, toIndex: 1, rate }];

  it("returns a rejected order with reason 'simulated rejection' during a reject fault", async () => {
    const broker = afterFirstClose(flat(100, 3), { faults: during("reject") });

    const rejected = await broker.submitOrder(order({ qty: 1 }));

    expect(rejected).toMatchObject({ status: "rejected", reason: "simulated rejection" });
  });

  it("injects nothing outside a fault's session window", async () => {
    const broker = afterFirstClose(flat(100, 3), { faults: [{ kind: "reject", fromIndex: 1, toIndex: 2, rate: 1 }] });

    const accepted = await broker.submitOrder(order({ qty: 1 }));

    expect(accepted.status).toBe("new");
  });

  it("times out with a 504 after accepting the order, which can be read back by client order id", async () => {
    const broker = afterFirstClose(flat(100, 3), { faults: during("timeout") });

    const error = await brokerErrorOf(broker.submitOrder(order({ qty: 1, clientOrderId: "timed-out" })));

    expect(error).toMatchObject({ status: 504, code: "TIMEOUT" });
    expect((await broker.getOrderByClientOrderId("timed-out"))?.status).toBe("new");
  });

  it("answers the duplicate client order id error after accepting the order, as a retried request would", async () => {
    const broker = afterFirstClose(flat(100, 3), { faults: during("duplicate_client_order_id") });

    const error = await brokerErrorOf(broker.submitOrder(order({ qty: 1, clientOrderId: "retried" })));

    expect(error).toMatchObject({ status: 422, code: "DUPLICATE_CLIENT_ORDER_ID" });
    expect(error.message).toBe(DUPLICATE_CLIENT_ORDER_ID_MESSAGE);
    expect((await broker.getOrderByClientOrderId("retried"))?.status).toBe("new");
  });

  it("fails every call with a 503 during an outage while fills at the open go on", async () => {
    const broker = afterFirstClose(flat(100, 3));
    const placed = await broker.submitOrder(order({ qty: 1, clientOrderId: "before-outage" }));
    broker.setFaults(during("outage"));

    broker.onSessionOpen(1);
    const calls = [
      () => broker.getAccount(),
      () => broker.getPositions(),
      () => broker.submitOrder(order({ qty: 1 })),
      () => broker.cancelOrder(placed.id),
      () => broker.listOrders(),
      () => broker.getOrderByClientOrderId("before-outage"),
      () => broker.closeAllPositions(),
    ];

    for (const call of calls) expect(await brokerErrorOf(call())).toMatchObject({ status: 503, code: "UNAVAILABLE" });
    broker.setFaults([]);
    expect((await broker.getOrderByClientOrderId("before-outage"))?.status).toBe("filled");
  });

  it("reports trading blocked to a call that gets through during an outage window", async () => {
    const broker = afterFirstClose(flat(100, 3), { faults: during("outage", 1e-12) });

    const account = await broker.getAccount();

    expect(account.tradingBlocked).toBe(true);
  });

  it("fills 10 to 90 percent of an order during a partial-fill fault and the rest at the next open", async () => {
    const broker = afterFirstClose([[100, 100], [100, 100], [110, 110]], {
      commissionPerOrder: 1,
      faults: [{ kind: "partial_fill", fromIndex: 1, toIndex: 1, rate: 1 }],
    });
    await broker.submitOrder(order({ qty: 50, clientOrderId: "partial" }));

    runSessions(broker, 1, 1);
    const partial = await broker.getOrderByClientOrderId("partial");
    broker.onSessionOpen(2);

    const firstQty = partial?.filledQty ?? 0;
    expect(partial?.status).toBe("partially_filled");
    expect(firstQty).toBeGreaterThanOrEqual(5);
    expect(firstQty).toBeLessThanOrEqual(45);
    const done = await broker.getOrderByClientOrderId("partial");
    expect(done).toMatchObject({ status: "filled", filledQty: 50, commission: 1 });
    expect(done?.filledAvgPrice).toBeCloseTo((firstQty * 100 + (50 - firstQty) * 110) / 50, 10);
  });

  it("repeats the same fault outcomes for the same seed and differs for another", async () => {
    const outcomes = async (seed: string) => {
      const faults = (["reject", "timeout", "duplicate_client_order_id"] as const).map((kind) => ({
        kind,
        fromIndex: 0,
        toIndex: 0,
        rate: 0.3,
      }));
      const broker = afterFirstClose(flat(100, 2), { seed, faults });
      const seen: string[] = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        const result = await broker.submitOrder(order({ qty: 1 })).then(
          (placed) => placed.status,
          (error: Error) => error.message,
        );
        seen.push(result);
      }
      return seen;
    };

    const [first, again, other] = await Promise.all([outcomes("alpha"), outcomes("alpha"), outcomes("beta")]);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});
