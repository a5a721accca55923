import { describe, it, expect } from "vitest";
import {
  DRY_RUN_REASON,
  DryRunBroker,
  type Account,
  type Broker,
  type Order,
  type OrderRequest,
  type CalendarDay,
  type MarketClock,
  type Position,
} from "../../src/broker/index.js";
import { ManualClock, barStore, brokerErrorOf, flat, simulatedBroker } from "./fixtures.js";

/** A broker that answers reads from fixed data and fails the test on any write. */
class ReadOnlyBroker implements Broker {
  readonly mode = "live" as const;
  readonly account: Account = { cash: 500, equity: 1500, buyingPower: 500, tradingBlocked: false };
  readonly positions: Position[] = [
    { symbol: "AAA", qty: 10, avgEntryPrice: 90, currentPrice: 100, marketValue: 1000, costBasis: 900, unrealizedPl: 100 },
  ];
  readonly lookups: string[] = [];

  async getAccount(): Promise<Account> {
    return this.account;
  }

  async getPositions(): Promise<Position[]> {
    return this.positions;
  }

  async listOrders(): Promise<Order[]> {
    return [];
  }

  async getOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    this.lookups.push(clientOrderId);
    return null;
  }

  submitOrder(): Promise<Order> {
    throw new Error("dry run sent an order to the broker");
  }

  cancelOrder(): Promise<void> {
    throw new Error("dry run sent a cancel to the broker");
  }

  closeAllPositions(): Promise<Order[]> {
    throw new Error("dry run sent close-all to the broker");
  }

  async getClock(): Promise<MarketClock> {
    return { timestamp: 1, isOpen: false, nextOpen: 2, nextClose: 3 };
  }

  async getCalendar(): Promise<CalendarDay[]> {
    return [{ date: "2024-01-02", open: 2, close: 3 }];
  }
}

const request: OrderRequest = { symbol: "AAA", side: "buy", type: "market", timeInForce: "day", qty: 2, clientOrderId: "dry-1" };

describe("DryRunBroker", () => {
  it("answers a submit with an accepted dry-run order without reaching the broker", async () => {
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), new ManualClock(5_000));

    const order = await dryRun.submitOrder(request);

    expect(order).toMatchObject({
      id: "dry-000001",
      clientOrderId: "dry-1",
      status: "accepted",
      qty: 2,
      filledQty: 0,
      submittedAt: 5_000,
      reason: DRY_RUN_REASON,
    });
  });

  it("logs every intercepted write with the time it happened", async () => {
    const clock = new ManualClock(1_000);
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), clock);

    await dryRun.submitOrder(request);
    clock.ms = 2_000;
    await dryRun.cancelOrder("some-order");
    clock.ms = 3_000;
    await dryRun.closeAllPositions();

    expect(dryRun.dryRunLog).toEqual([
      { kind: "submit", request, at: 1_000 },
      { kind: "cancel", orderId: "some-order", at: 2_000 },
      { kind: "close_all", at: 3_000 },
    ]);
  });

  it("answers close-all with the sells that would flatten the broker's positions", async () => {
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), new ManualClock());

    const orders = await dryRun.closeAllPositions();

    expect(orders).toMatchObject([{ symbol: "AAA", side: "sell", type: "market", qty: 10, status: "accepted" }]);
  });

  it("finds intercepted orders by client order id and passes other look-ups to the broker", async () => {
    const inner = new ReadOnlyBroker();
    const dryRun = new DryRunBroker(inner, new ManualClock());
    const sent = await dryRun.submitOrder(request);

    const found = await dryRun.getOrderByClientOrderId("dry-1");
    const other = await dryRun.getOrderByClientOrderId("placed-before");

    expect(found?.id).toBe(sent.id);
    expect(other).toBeNull();
    expect(inner.lookups).toEqual(["placed-before"]);
  });

  it("marks an intercepted order canceled when the engine cancels it", async () => {
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), new ManualClock());
    const sent = await dryRun.submitOrder(request);

    await dryRun.cancelOrder(sent.id);

    expect((await dryRun.getOrderByClientOrderId("dry-1"))?.status).toBe("canceled");
  });

  it("refuses a reused client order id as the broker would", async () => {
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), new ManualClock());
    await dryRun.submitOrder(request);

    const error = await brokerErrorOf(dryRun.submitOrder(request));

    expect(error).toMatchObject({ status: 422, code: "DUPLICATE_CLIENT_ORDER_ID" });
  });

  it("passes reads and the broker mode through", async () => {
    const inner = new ReadOnlyBroker();
    const dryRun = new DryRunBroker(inner, new ManualClock());

    expect(dryRun.mode).toBe("live");
    expect(await dryRun.getAccount()).toEqual(inner.account);
    expect(await dryRun.getPositions()).toEqual(inner.positions);
  });

  it("passes the market clock and calendar through", async () => {
    const inner = new ReadOnlyBroker();
    const dryRun = new DryRunBroker(inner, new ManualClock());

    expect(await dryRun.getClock()).toEqual(await inner.getClock());
    expect(await dryRun.getCalendar("2024-01-01", "2024-01-03")).toEqual(await inner.getCalendar());
  });

  it("leaves a simulated broker without orders or positions across sessions", async () => {
    const inner = simulatedBroker({ bars: barStore({ AAA: flat(100, 3) }) });
    const dryRun = new DryRunBroker(inner, new ManualClock());
    inner.onSessionOpen(0);
    inner.onSessionClose(0);

    await dryRun.submitOrder(request);
    inner.onSessionOpen(1);
    inner.onSessionClose(1);

    expect(await inner.listOrders({ status: "all" })).toEqual([]);
    expect(await inner.getPositions()).toEqual([]);
    expect(await dryRun.getAccount()).toMatchObject({ cash: 10_000, equity: 10_000 });
  });
});
