import type { Account, Broker, BrokerMode, CalendarDay, ListOrdersQuery, MarketClock, Order, OrderRequest, Position } from "../broker/types.js";
import type { SessionDate } from "../clock/types.js";
import type { BarSource, DailyBar } from "../data/feed.js";

/**
 * How a port's calls reach the flight recorder or the playback: by method name and arguments, with `send`
 * forwarding the call to the wrapped port. The recorder sends and records; the playback answers from the
 * recording and never sends.
 */
export type PortCall = <T>(method: string, args: readonly unknown[], send: () => Promise<T>) => Promise<T>;

/** No port behind a playback: anything sent to it is a bug in the playback, not a divergence. */
const NOTHING_BEHIND = new Proxy({}, { get: (_target, name) => () => Promise.reject(new Error(`a playback never sends ${String(name)}`)) });

/** The Broker port with every call passed through `through`; `inner` answers only what `through` sends on. */
export class BrokerThrough implements Broker {
  constructor(
    readonly mode: BrokerMode,
    private readonly through: PortCall,
    private readonly inner: Broker = NOTHING_BEHIND as Broker,
  ) {}

  getAccount(): Promise<Account> {
    return this.through("getAccount", [], () => this.inner.getAccount());
  }

  getPositions(): Promise<Position[]> {
    return this.through("getPositions", [], () => this.inner.getPositions());
  }

  submitOrder(request: OrderRequest): Promise<Order> {
    return this.through("submitOrder", [request], () => this.inner.submitOrder(request));
  }

  cancelOrder(orderId: string): Promise<void> {
    return this.through("cancelOrder", [orderId], () => this.inner.cancelOrder(orderId));
  }

  listOrders(query?: ListOrdersQuery): Promise<Order[]> {
    return this.through("listOrders", [query ?? null], () => this.inner.listOrders(query));
  }

  getOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    return this.through("getOrderByClientOrderId", [clientOrderId], () => this.inner.getOrderByClientOrderId(clientOrderId));
  }

  closeAllPositions(): Promise<Order[]> {
    return this.through("closeAllPositions", [], () => this.inner.closeAllPositions());
  }

  getClock(): Promise<MarketClock> {
    return this.through("getClock", [], () => this.inner.getClock());
  }

  getCalendar(from: string, to: string): Promise<CalendarDay[]> {
    return this.through("getCalendar", [from, to], () => this.inner.getCalendar(from, to));
  }
}

/** The BarSource port with every call passed through `through`. */
export class BarSourceThrough implements BarSource {
  constructor(
    private readonly through: PortCall,
    private readonly inner: BarSource = NOTHING_BEHIND as BarSource,
  ) {}

  dailyBars(symbols: readonly string[], from: SessionDate, to: SessionDate): Promise<DailyBar[]> {
    return this.through("dailyBars", [symbols, from, to], () => this.inner.dailyBars(symbols, from, to));
  }
}
