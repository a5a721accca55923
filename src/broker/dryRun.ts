import type { Clock } from "../clock/types.js";
import {
  BrokerError,
  DUPLICATE_CLIENT_ORDER_ID_MESSAGE,
  type Account,
  type Broker,
  type BrokerMode,
  type CalendarDay,
  type ListOrdersQuery,
  type MarketClock,
  type Order,
  type OrderRequest,
  type Position,
} from "./types.js";
import { orderFromRequest } from "./orders.js";

/** The reason on every order a dry run answers in the broker's place. */
export const DRY_RUN_REASON = "DRY_RUN: not sent";

/** One write the dry run kept from the broker. */
export interface DryRunLogEntry {
  kind: "submit" | "cancel" | "close_all";
  request?: OrderRequest;
  orderId?: string;
  /** Epoch ms on the dry run's clock. */
  at: number;
}

/**
 * Runs every decision but sends no write to the wrapped broker. Submits, cancels and close-alls are logged
 * and answered locally: an order comes back `accepted` (id `dry-…`, nothing filled, reason DRY_RUN_REASON), so
 * the engine follows it like any open order that has not filled yet. Reads pass through, except that
 * `getOrderByClientOrderId` answers for the orders it intercepted.
 */
export class DryRunBroker implements Broker {
  readonly mode: BrokerMode;
  private readonly log: DryRunLogEntry[] = [];
  /** Intercepted orders by client order id. */
  private readonly intercepted = new Map<string, Order>();

  constructor(
    private readonly inner: Broker,
    private readonly clock: Clock,
  ) {
    this.mode = inner.mode;
  }

  /** Every intercepted write, oldest first. */
  get dryRunLog(): ReadonlyArray<DryRunLogEntry> {
    return this.log;
  }

  getAccount(): Promise<Account> {
    return this.inner.getAccount();
  }

  getPositions(): Promise<Position[]> {
    return this.inner.getPositions();
  }

  listOrders(query?: ListOrdersQuery): Promise<Order[]> {
    return this.inner.listOrders(query);
  }

  async getOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    const order = this.intercepted.get(clientOrderId);
    return order ? { ...order } : this.inner.getOrderByClientOrderId(clientOrderId);
  }

  async submitOrder(request: OrderRequest): Promise<Order> {
    if (this.intercepted.has(request.clientOrderId)) {
      throw new BrokerError(422, "DUPLICATE_CLIENT_ORDER_ID", DUPLICATE_CLIENT_ORDER_ID_MESSAGE);
    }
    this.log.push({ kind: "submit", request: { ...request }, at: this.clock.now() });
    return { ...this.intercept(request) };
  }

  async cancelOrder(orderId: string): Promise<void> {
    this.log.push({ kind: "cancel", orderId, at: this.clock.now() });
    const order = [...this.intercepted.values()].find((candidate) => candidate.id === orderId);
    if (order) order.status = "canceled";
  }

  /** Answers with the market orders that would flatten the inner broker's positions (read, not sent). */
  async closeAllPositions(): Promise<Order[]> {
    const positions = await this.inner.getPositions();
    this.log.push({ kind: "close_all", at: this.clock.now() });
    return positions.map(({ symbol, qty }) => {
      const request: OrderRequest = {
        symbol,
        side: qty > 0 ? "sell" : "buy",
        type: "market",
        timeInForce: "day",
        qty: Math.abs(qty),
        clientOrderId: `dry-close-all-${this.intercepted.size + 1}`,
      };
      return { ...this.intercept(request) };
    });
  }

  getClock(): Promise<MarketClock> {
    return this.inner.getClock();
  }

  getCalendar(from: string, to: string): Promise<CalendarDay[]> {
    return this.inner.getCalendar(from, to);
  }

  private intercept(request: OrderRequest): Order {
    const id = `dry-${String(this.intercepted.size + 1).padStart(6, "0")}`;
    const order: Order = {
      ...orderFromRequest(id, request, this.clock.now()),
      status: "accepted",
      reason: DRY_RUN_REASON,
    };
    this.intercepted.set(order.clientOrderId, order);
    return order;
  }
}
