import { describe, it, expect } from "vitest";
import {
  DUPLICATE_CLIENT_ORDER_ID_MESSAGE,
  isOpenOrder,
  type Broker,
  type OrderRequest,
} from "../../src/broker/index.js";
import { brokerErrorOf } from "./fixtures.js";

/** What a broker implementation hands the contract suite. */
export interface BrokerHarness {
  broker: Broker;
  /** Moves the venue one session: the current session's close, then the next session's open. */
  advance(): void | Promise<void>;
  /** A symbol the venue prices and fills, with enough starting cash for a few shares of it. */
  symbol: string;
}

/**
 * The behaviour every Broker must show, whatever sits behind it (simulator, Alpaca adapter against a fake
 * server, …). `makeBroker` is called once per test and must return a fresh account with no orders or positions.
 */
export function runBrokerContract(name: string, makeBroker: () => BrokerHarness | Promise<BrokerHarness>): void {
  const buy = (symbol: string, clientOrderId: string, qty = 1): OrderRequest => ({
    symbol,
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId,
  });

  describe(`${name} honours the broker contract`, () => {
    it("reports an account with finite cash, equity and buying power", async () => {
      const { broker } = await makeBroker();

      const account = await broker.getAccount();

      expect(Number.isFinite(account.cash)).toBe(true);
      expect(Number.isFinite(account.equity)).toBe(true);
      expect(Number.isFinite(account.buyingPower)).toBe(true);
      expect(account.tradingBlocked).toBe(false);
    });

    it("starts with no positions and no orders", async () => {
      const { broker } = await makeBroker();

      const [positions, orders] = await Promise.all([broker.getPositions(), broker.listOrders({ status: "all" })]);

      expect(positions).toEqual([]);
      expect(orders).toEqual([]);
    });

    it("lists a submitted order as open and finds it by its client order id", async () => {
      const { broker, symbol } = await makeBroker();

      const order = await broker.submitOrder(buy(symbol, "contract-1", 2));
      const open = await broker.listOrders({ status: "open" });
      const found = await broker.getOrderByClientOrderId("contract-1");

      expect(order).toMatchObject({ clientOrderId: "contract-1", symbol, side: "buy", qty: 2, filledQty: 0 });
      expect(isOpenOrder(order)).toBe(true);
      expect(open.map((listed) => listed.id)).toEqual([order.id]);
      expect(found?.id).toBe(order.id);
    });

    it("answers null for a client order id it never saw", async () => {
      const { broker } = await makeBroker();

      expect(await broker.getOrderByClientOrderId("never-sent")).toBeNull();
    });

    it("refuses a reused client order id with Alpaca's 422 and keeps only the first order", async () => {
      const { broker, symbol } = await makeBroker();
      await broker.submitOrder(buy(symbol, "contract-dup"));

      const error = await brokerErrorOf(broker.submitOrder(buy(symbol, "contract-dup")));

      expect(error).toMatchObject({ status: 422, code: "DUPLICATE_CLIENT_ORDER_ID" });
      expect(error.message).toBe(DUPLICATE_CLIENT_ORDER_ID_MESSAGE);
      expect(await broker.listOrders({ status: "all" })).toHaveLength(1);
    });

    it("cancels an open order, lists it as closed and refuses to cancel it again", async () => {
      const { broker, symbol } = await makeBroker();
      const order = await broker.submitOrder(buy(symbol, "contract-cancel"));

      await broker.cancelOrder(order.id);
      const again = await brokerErrorOf(broker.cancelOrder(order.id));

      expect((await broker.getOrderByClientOrderId("contract-cancel"))?.status).toBe("canceled");
      expect(await broker.listOrders({ status: "open" })).toEqual([]);
      expect((await broker.listOrders({ status: "closed" })).map((closed) => closed.id)).toEqual([order.id]);
      expect(again).toMatchObject({ status: 422, code: "ORDER_NOT_CANCELABLE" });
    });

    it("answers 404 when asked to cancel an order it does not know", async () => {
      const { broker } = await makeBroker();

      const error = await brokerErrorOf(broker.cancelOrder("no-such-order"));

      expect(error).toMatchObject({ status: 404, code: "ORDER_NOT_FOUND" });
    });

    it("lists orders newest first", async () => {
      const { broker, symbol } = await makeBroker();
      const first = await broker.submitOrder(buy(symbol, "contract-a"));
      const second = await broker.submitOrder(buy(symbol, "contract-b"));

      const listed = await broker.listOrders({ status: "all" });

      expect(listed.map((order) => order.id)).toEqual([second.id, first.id]);
    });

    it("fills a market buy once the venue moves a session and shows the position", async () => {
      const { broker, symbol, advance } = await makeBroker();
      await broker.submitOrder(buy(symbol, "contract-fill", 3));

      await advance();

      const filled = await broker.getOrderByClientOrderId("contract-fill");
      expect(filled).toMatchObject({ status: "filled", filledQty: 3 });
      expect((await broker.getPositions()).map(({ symbol: held, qty }) => ({ held, qty }))).toEqual([
        { held: symbol, qty: 3 },
      ]);
    });

    it("closes every position with market sells that fill at the next session", async () => {
      const { broker, symbol, advance } = await makeBroker();
      await broker.submitOrder(buy(symbol, "contract-hold", 2));
      await advance();

      const closing = await broker.closeAllPositions();
      await advance();

      expect(closing.map(({ symbol: sold, side, type, qty }) => ({ sold, side, type, qty }))).toEqual([
        { sold: symbol, side: "sell", type: "market", qty: 2 },
      ]);
      expect(await broker.getPositions()).toEqual([]);
    });
  });
}
