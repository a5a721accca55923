import { describe, it, expect } from "vitest";
import {
  DRY_RUN_REASON,
  DryRunBroker,
  type Account,
  type Broker,
  type Order,
  type OrderRequest,
  type Position,
  type SimulatedVenue,
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
}

/** A read-only broker that is also a simulated venue, recording the session hooks it receives. */
class RecordingVenue extends ReadOnlyBroker implements SimulatedVenue {
  readonly hooks: string[] = [];

  onSessionOpen(sessionIndex: number): void {
    this.hooks.push(`open ${sessionIndex}`);
  }

  onSessionClose(sessionIndex: number): void {
    this.hooks.push(`close ${sessionIndex}`);
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

  it("forwards session hooks to a simulated venue", () => {
    const inner = new RecordingVenue();
    const dryRun = new DryRunBroker(inner, new ManualClock());

    dryRun.onSessionOpen(4);
    dryRun.onSessionClose(4);

    expect(inner.hooks).toEqual(["open 4", "close 4"]);
  });

  it("ignores session hooks when the broker is not a simulated venue", () => {
    const dryRun = new DryRunBroker(new ReadOnlyBroker(), new ManualClock());

    expect(() => dryRun.onSessionOpen(0)).not.toThrow();
  });

  it("leaves a simulated broker without orders or positions across sessions", async () => {
    const inner = simulatedBroker({ bars: barStore({ AAA: flat(100, 3) }) });
    const dryRun = new DryRunBroker(inner, new ManualClock());
    dryRun.onSessionOpen(0);
    dryRun.onSessionClose(0);

    await dryRun.submitOrder(request);
    dryRun.onSessionOpen(1);
    dryRun.onSessionClose(1);

    expect(await inner.listOrders({ status: "all" })).toEqual([]);
    expect(await inner.getPositions()).toEqual([]);
    expect(await dryRun.getAccount()).toMatchObject({ cash: 10_000, equity: 10_000 });
  });
});
