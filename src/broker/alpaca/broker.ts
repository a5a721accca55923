import { trading } from "@alpacahq/alpaca-trade-api/rest";
import {
  BrokerError,
  type Account,
  type Broker,
  type CalendarDay,
  type ListOrdersQuery,
  type MarketClock,
  type Order,
  type OrderRequest,
  type Position,
} from "../types.js";
import { tradingConfiguration, type AlpacaConnection, type AlpacaMode } from "./connection.js";
import { callWithRetries, retryPolicy, type AlpacaCallOptions, type Operation, type RetryPolicy } from "./calls.js";
import {
  accountFromAlpaca,
  calendarDayFromAlpaca,
  clockFromAlpaca,
  orderFromAlpaca,
  orderToAlpaca,
  ordersFromCloseAll,
  positionFromAlpaca,
} from "./mapping.js";

/** Alpaca's largest page of `GET /v2/orders`; the engine lists a few days of a small bot's orders. */
const MAX_ORDERS_PER_LIST = 500;

/** The Broker port over Alpaca's trading API v2, through the official SDK's generated layer. */
export class AlpacaBroker implements Broker {
  private readonly orders: trading.OrdersApi;
  private readonly positions: trading.PositionsApi;
  private readonly accounts: trading.AccountsApi;
  private readonly clock: trading.ClockApi;
  private readonly calendar: trading.CalendarApi;
  private readonly policy: RetryPolicy;

  constructor(
    readonly mode: AlpacaMode,
    connection: AlpacaConnection,
    options: AlpacaCallOptions = {},
  ) {
    const configuration = tradingConfiguration(connection);
    this.orders = new trading.OrdersApi(configuration);
    this.positions = new trading.PositionsApi(configuration);
    this.accounts = new trading.AccountsApi(configuration);
    this.clock = new trading.ClockApi(configuration);
    this.calendar = new trading.CalendarApi(configuration);
    this.policy = retryPolicy(connection, options);
  }

  async getAccount(): Promise<Account> {
    return accountFromAlpaca(await this.call("read", () => this.accounts.getAccount()));
  }

  async getPositions(): Promise<Position[]> {
    return (await this.call("read", () => this.positions.getAllOpenPositions())).map(positionFromAlpaca);
  }

  /**
   * Never resent blindly: after an error or a lost answer the order is read back by its client order id and
   * returned when the venue has it, marked `recoveredFrom` so the engine records the recovery; otherwise the
   * mapped error is thrown (a 429 is waited out, read back, resent).
   */
  async submitOrder(request: OrderRequest): Promise<Order> {
    const postOrderRequest = orderToAlpaca(request);
    return callWithRetries(
      this.policy,
      "submit",
      async () => orderFromAlpaca(await this.orders.postOrder({ postOrderRequest })),
      async (failure) => {
        const order = await this.readBack(request.clientOrderId);
        return order && { ...order, recoveredFrom: { code: failure.code, message: failure.message } };
      },
    );
  }

  async cancelOrder(orderId: string): Promise<void> {
    await this.call("cancel", () => this.orders.deleteOrderByOrderID({ orderId }));
  }

  /** Newest first, `status` "open" by default, as on Alpaca. */
  async listOrders(query: ListOrdersQuery = {}): Promise<Order[]> {
    const request: trading.GetAllOrdersRequest = {
      status: query.status ?? "open",
      limit: MAX_ORDERS_PER_LIST,
      direction: "desc",
      after: query.after === undefined ? undefined : new Date(query.after).toISOString(),
    };
    return (await this.call("read", () => this.orders.getAllOrders(request))).map(orderFromAlpaca);
  }

  async getOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    try {
      return orderFromAlpaca(await this.call("read", () => this.orders.getOrderByClientOrderId({ clientOrderId })));
    } catch (error) {
      if (error instanceof BrokerError && error.code === "ORDER_NOT_FOUND") return null;
      throw error;
    }
  }

  /** Cancels open orders first (Alpaca's `cancel_orders=true`), as the simulated venue does. */
  async closeAllPositions(): Promise<Order[]> {
    return ordersFromCloseAll(await this.call("submit", () => this.positions.deleteAllOpenPositions({ cancelOrders: true })));
  }

  async getClock(): Promise<MarketClock> {
    return clockFromAlpaca(await this.call("read", () => this.clock.legacyClock()));
  }

  async getCalendar(from: string, to: string): Promise<CalendarDay[]> {
    const request = { start: utcMidnight(from), end: utcMidnight(to) };
    return (await this.call("read", () => this.calendar.legacyCalendar(request))).map(calendarDayFromAlpaca);
  }

  private call<T>(operation: Operation, send: () => Promise<T>): Promise<T> {
    return callWithRetries(this.policy, operation, send);
  }

  /** The order behind an unclear submit, or null when the venue has none (or cannot say). */
  private async readBack(clientOrderId: string): Promise<Order | null> {
    try {
      return await this.getOrderByClientOrderId(clientOrderId);
    } catch {
      return null;
    }
  }
}

/** The SDK sends calendar bounds as ISO times and Alpaca reads their date part. */
function utcMidnight(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
