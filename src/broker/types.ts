/**
 * The broker port, shaped after Alpaca's v2 trading API (orders, positions, account) so the
 * Alpaca adapter is thin. Field names are camelCase; adapters map to and from the vendor's.
 */

export type BrokerMode = "simulated" | "paper" | "live";
export type OrderSide = "buy" | "sell";
export type OrderType = "market" | "limit";
export type TimeInForce = "day" | "gtc" | "opg" | "cls" | "ioc" | "fok";
export type OrderStatus =
  | "new"
  | "accepted"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "rejected";

export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(["filled", "canceled", "expired", "rejected"]);

/** A request to place an order: exactly one of `qty` or `notional` (notional only for market orders). */
export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty?: number;
  /** Dollar amount, two decimals; the venue derives the quantity at the fill price. */
  notional?: number;
  limitPrice?: number;
  clientOrderId: string;
}

export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: number | null;
  notional: number | null;
  limitPrice: number | null;
  status: OrderStatus;
  filledQty: number;
  filledAvgPrice: number | null;
  /** Commission charged so far, in dollars (Alpaca charges none; the simulator may). */
  commission: number;
  /** Epoch ms on the broker's clock. */
  submittedAt: number;
  filledAt: number | null;
  /** Why the venue rejected, canceled or expired it, when it says. */
  reason: string | null;
}

export interface Position {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
  /** Last price the broker marked the position at. */
  currentPrice: number;
  marketValue: number;
  costBasis: number;
  unrealizedPl: number;
}

export interface Account {
  /** The venue's account id, when it has one (masked whenever it is printed). */
  id?: string;
  cash: number;
  equity: number;
  buyingPower: number;
  /** True when the broker refuses all new orders (Alpaca `trading_blocked`). */
  tradingBlocked: boolean;
}

export interface ListOrdersQuery {
  status?: "open" | "closed" | "all";
  /** Only orders submitted at or after this epoch ms. */
  after?: number;
}

/** An error the broker answered with; `status` is the HTTP-like status (422, 403, 503, …). */
export class BrokerError extends Error {
  constructor(
    readonly status: number,
    readonly code: BrokerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BrokerError";
  }
}

export type BrokerErrorCode =
  | "DUPLICATE_CLIENT_ORDER_ID"
  | "INSUFFICIENT_BUYING_POWER"
  | "INVALID_ORDER"
  | "ORDER_NOT_FOUND"
  | "ORDER_NOT_CANCELABLE"
  | "REJECTED"
  | "TIMEOUT"
  | "UNAVAILABLE"
  | "UNAUTHORIZED"
  /** HTTP 429: the venue asked us to slow down; waited out, never a failed health check. */
  | "RATE_LIMITED";

/** Alpaca's exact wording for a reused client order id (HTTP 422). */
export const DUPLICATE_CLIENT_ORDER_ID_MESSAGE = "client_order_id must be unique";

/** The venue's market clock (Alpaca `/v2/clock`): the live driver's "now". Times are epoch ms. */
export interface MarketClock {
  timestamp: number;
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/** One trading day of the venue's calendar (Alpaca `/v2/calendar`). Times are epoch ms. */
export interface CalendarDay {
  date: string;
  open: number;
  close: number;
}

/** The one interface the engine trades through, in every mode. */
export interface Broker {
  readonly mode: BrokerMode;
  getAccount(): Promise<Account>;
  getPositions(): Promise<Position[]>;
  submitOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(orderId: string): Promise<void>;
  listOrders(query?: ListOrdersQuery): Promise<Order[]>;
  /** The order with that client order id, or null when the broker has none. */
  getOrderByClientOrderId(clientOrderId: string): Promise<Order | null>;
  /** Market orders that flatten every position; returns the orders placed. */
  closeAllPositions(): Promise<Order[]>;
  getClock(): Promise<MarketClock>;
  /** Trading days from `from` to `to` (YYYY-MM-DD, both inclusive). */
  getCalendar(from: string, to: string): Promise<CalendarDay[]>;
}

/**
 * A venue whose time and faults a replay controls: the simulated broker in-process, or the sandbox behind
 * HTTP. Orders fill at the open, positions mark at the close; scenario injections reach a venue only here.
 */
export interface VenueControl {
  onSessionOpen(sessionIndex: number): void | Promise<void>;
  onSessionClose(sessionIndex: number): void | Promise<void>;
  /** Replaces the fault schedule (the generator keeps its state). */
  setFaults(faults: readonly BrokerFault[]): void | Promise<void>;
  /** Changes the venue's position behind the engine's back (reconciliation drift). */
  adjustPosition(symbol: string, qtyDelta: number): void | Promise<void>;
}

/** A fault the simulated broker injects during sessions [fromIndex, toIndex], each hit drawn with `rate`. */
export interface BrokerFault {
  kind: "reject" | "timeout" | "outage" | "partial_fill" | "duplicate_client_order_id";
  fromIndex: number;
  toIndex: number;
  /** Probability per call (0..1] that the fault applies, drawn from the broker's seeded generator. */
  rate: number;
}
