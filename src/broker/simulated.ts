import { marketClockAt, nyseCalendar } from "../clock/index.js";
import type { Clock, TradingCalendar } from "../clock/types.js";
import type { BarStore } from "../data/barStore.js";
import { floorQty, isZeroQty, roundCents, roundQty } from "../portfolio/index.js";
import { VenueBook, type VenueBookSnapshot } from "./venueBook.js";
import {
  BrokerError,
  DUPLICATE_CLIENT_ORDER_ID_MESSAGE,
  type Account,
  type Broker,
  type BrokerFault,
  type CalendarDay,
  type MarketClock,
  type ListOrdersQuery,
  type Order,
  type OrderRequest,
  type OrderStatus,
  type Position,
  type VenueControl,
} from "./types.js";
import { FaultSchedule, type FaultRngState } from "./faults.js";
import { isOpenOrder, orderFromRequest } from "./orders.js";

export interface SimulatedBrokerOptions {
  bars: BarStore;
  clock: Clock;
  initialCash: number;
  /** Seeds the one generator every fault draw and partial-fill size comes from. */
  seed: string | number;
  /** Adverse slippage at the fill, in basis points of the open (default 0). */
  slippageBps?: number;
  /** Dollars charged once per order, at its first fill (default 0). */
  commissionPerOrder?: number;
  /** Fractional shares to 9 decimals (default true); else whole shares only. */
  allowFractional?: boolean;
  faults?: readonly BrokerFault[];
  /** The exchange calendar behind the market clock (default NYSE). */
  calendar?: TradingCalendar;
}

/** Sessions an order may wait for a fill (no bar, limit not reached) before it expires. */
export const MAX_OPEN_SESSIONS = 5;

/** How many sessions of finished orders a snapshot keeps, so its size does not grow with the run. */
const SNAPSHOT_HISTORY_SESSIONS = 5;

/** What `SimulatedBroker.snapshot` returns: plain JSON. */
export interface SimulatedBrokerSnapshot {
  version: 2;
  /** The venue's own account (not the engine's Ledger: reconciliation compares two independent books). */
  book: VenueBookSnapshot;
  /** Open orders and those of the last SNAPSHOT_HISTORY_SESSIONS sessions: enough to read back any recent order. */
  orders: SimOrder[];
  ordersPlaced: number;
  openIds: string[];
  sessionIndex: number;
  lastClosedIndex: number;
  rng: FaultRngState;
}

/** A store written before the venue kept its own book holds the book as a Ledger snapshot of one "account" strategy. */
type LegacySnapshot = Omit<SimulatedBrokerSnapshot, "version" | "book"> & {
  version: 1;
  ledger: { cash: number; holdings: { qty: number; costBasis: number; symbol: string }[] };
};

function legacyBook(snapshot: LegacySnapshot): VenueBookSnapshot {
  const positions = snapshot.ledger.holdings.map(({ symbol, qty, costBasis }) => ({ symbol, qty, costBasis }));
  return { cash: snapshot.ledger.cash, positions };
}

interface SimOrder {
  /** The record callers see (always as a copy). */
  order: Order;
  /** Session index at submit; the order fills from the next open on. */
  session: number;
  /** Shares to fill; null for a notional order until its first fill sizes it. */
  qty: number | null;
  /** Price behind the buying-power reservation: the limit, the last close at submit, then the first fill. */
  refPrice: number;
  /** Why the last fill attempt passed, for the expiry reason. */
  waitReason: string;
}

/**
 * A deterministic venue over a BarStore, shaped like Alpaca: orders placed during session i fill at the open
 * of the next session with a bar (never at the close they were decided on), positions mark at the last close.
 * Within one open, sells fill before buys (each in submission order) so sale proceeds can fund purchases.
 * Faults from `faults` apply while the current session index (the last one passed to a hook, −1 before any)
 * is inside their window, each drawn from the seeded generator: same seed and calls, same outcomes.
 */
export class SimulatedBroker implements Broker, VenueControl {
  readonly mode = "simulated" as const;
  private readonly bars: BarStore;
  private readonly clock: Clock;
  private readonly calendar: TradingCalendar;
  private book: VenueBook;
  private readonly slippage: number;
  private readonly commissionPerOrder: number;
  private readonly allowFractional: boolean;
  private readonly faults: FaultSchedule;
  private readonly orders: SimOrder[] = [];
  private open: SimOrder[] = [];
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientOrderId = new Map<string, SimOrder>();
  private sessionIndex = -1;
  private lastClosedIndex = -1;
  private ordersPlaced = 0;
  /** False once an order was placed at an earlier session than the one before it. */
  private ordersInSessionOrder = true;

  constructor(options: SimulatedBrokerOptions) {
    this.bars = options.bars;
    this.clock = options.clock;
    this.calendar = options.calendar ?? nyseCalendar;
    this.book = new VenueBook(nonNegative(options.initialCash, "initialCash"));
    this.slippage = nonNegative(options.slippageBps ?? 0, "slippageBps") / 1e4;
    this.commissionPerOrder = roundCents(nonNegative(options.commissionPerOrder ?? 0, "commissionPerOrder"));
    this.allowFractional = options.allowFractional ?? true;
    this.faults = new FaultSchedule(options.seed, options.faults);
  }

  /**
   * The venue's whole state as plain JSON. A replay keeps it in its store so that a resumed run (a new
   * process) meets the same broker it left, as a real broker would outlive the bot.
   */
  snapshot(): SimulatedBrokerSnapshot {
    return {
      version: 2,
      book: this.book.snapshot(),
      orders: this.openOrRecentOrders(this.sessionIndex - SNAPSHOT_HISTORY_SESSIONS).map((sim) => ({ ...sim, order: { ...sim.order } })),
      ordersPlaced: this.ordersPlaced,
      openIds: this.open.map((sim) => sim.order.id),
      sessionIndex: this.sessionIndex,
      lastClosedIndex: this.lastClosedIndex,
      rng: this.faults.state(),
    };
  }

  /**
   * Orders still open or placed at session `cutoff` or later, in placement order. A replay snapshots every
   * session, so this must not scan the whole history: orders are placed in session order, so the recent ones
   * are a suffix, and the older open ones are in `open`. Out-of-order sessions (a test driving the venue by
   * hand) fall back to the scan.
   */
  private openOrRecentOrders(cutoff: number): SimOrder[] {
    if (!this.ordersInSessionOrder) return this.orders.filter((sim) => isOpenOrder(sim.order) || sim.session >= cutoff);
    let start = this.orders.length;
    while (start > 0 && this.orders[start - 1].session >= cutoff) start--;
    return [...this.open.filter((sim) => sim.session < cutoff), ...this.orders.slice(start)];
  }

  /** Puts back a state taken by `snapshot`, replacing everything this broker holds. */
  restore(snapshot: SimulatedBrokerSnapshot | LegacySnapshot): void {
    this.book = VenueBook.fromSnapshot(snapshot.version === 2 ? snapshot.book : legacyBook(snapshot));
    this.orders.length = 0;
    this.byId.clear();
    this.byClientOrderId.clear();
    for (const sim of snapshot.orders) {
      const copy = { ...sim, order: { ...sim.order } };
      this.orders.push(copy);
      this.byId.set(copy.order.id, copy);
      this.byClientOrderId.set(copy.order.clientOrderId, copy);
    }
    this.ordersInSessionOrder = this.orders.every((sim, i) => i === 0 || sim.session >= this.orders[i - 1].session);
    const open = new Set(snapshot.openIds);
    this.open = this.orders.filter((sim) => open.has(sim.order.id));
    this.sessionIndex = snapshot.sessionIndex;
    this.lastClosedIndex = snapshot.lastClosedIndex;
    this.ordersPlaced = snapshot.ordersPlaced;
    this.faults.restore(snapshot.rng);
  }

  /** Replaces the fault schedule; the generator keeps its state. */
  setFaults(faults: readonly BrokerFault[]): void {
    this.faults.set(faults);
  }

  async getAccount(): Promise<Account> {
    this.throwIfOutage();
    const cash = this.book.cash;
    return {
      cash,
      equity: roundCents(this.book.equity((symbol) => this.markOrCost(symbol))),
      buyingPower: roundCents(cash - this.reservedCash()),
      tradingBlocked: this.faults.scheduled("outage", this.sessionIndex),
    };
  }

  async getPositions(): Promise<Position[]> {
    this.throwIfOutage();
    return this.book
      .positions()
      .map(({ symbol, qty, costBasis }) => {
        const avgCost = this.book.avgCostOf(symbol);
        const currentPrice = this.markOrCost(symbol);
        const marketValue = roundCents(qty * currentPrice);
        const unrealizedPl = roundCents(marketValue - costBasis);
        return { symbol, qty, avgEntryPrice: avgCost, currentPrice, marketValue, costBasis, unrealizedPl };
      });
  }

  /**
   * Validates (422), checks buying power or held shares (403), then records the order. Faults: `reject` returns
   * it rejected; `timeout` (504) and `duplicate_client_order_id` (422) throw after it was recorded.
   */
  async submitOrder(request: OrderRequest): Promise<Order> {
    this.throwIfOutage();
    const sim = this.newOrder(this.validated(request));
    this.checkAffordable(sim);
    this.record(sim);
    if (this.faultHits("reject")) {
      this.finish(sim, "rejected", "simulated rejection");
    } else if (this.faultHits("timeout")) {
      throw new BrokerError(504, "TIMEOUT", "simulated timeout: no response from the broker");
    } else if (this.faultHits("duplicate_client_order_id")) {
      throw duplicateClientOrderId();
    }
    return { ...sim.order };
  }

  async cancelOrder(orderId: string): Promise<void> {
    this.throwIfOutage();
    const sim = this.byId.get(orderId);
    if (!sim) throw new BrokerError(404, "ORDER_NOT_FOUND", `order not found: ${orderId}`);
    if (!isOpenOrder(sim.order)) {
      throw new BrokerError(422, "ORDER_NOT_CANCELABLE", `order ${orderId} is not cancelable: ${sim.order.status}`);
    }
    this.finish(sim, "canceled", "canceled by request");
  }

  /** Newest first; `status` defaults to "open" as on Alpaca. */
  async listOrders(query: ListOrdersQuery = {}): Promise<Order[]> {
    this.throwIfOutage();
    const status = query.status ?? "open";
    const after = query.after ?? -Infinity;
    return this.orders
      .filter(({ order }) => matchesStatus(order, status) && order.submittedAt >= after)
      .reverse()
      .map(({ order }) => ({ ...order }));
  }

  async getOrderByClientOrderId(clientOrderId: string): Promise<Order | null> {
    this.throwIfOutage();
    const sim = this.byClientOrderId.get(clientOrderId);
    return sim ? { ...sim.order } : null;
  }

  /** Cancels every open order, then places a market sell for each whole position (Alpaca's `cancel_orders=true`). */
  async closeAllPositions(): Promise<Order[]> {
    this.throwIfOutage();
    for (const sim of this.open) this.finish(sim, "canceled", "canceled to close all positions");
    return this.book.positions().map(({ symbol, qty }) => {
      const clientOrderId = `close-all-${this.nextOrderId()}`;
      const sim = this.newOrder({ symbol, side: "sell", type: "market", timeInForce: "day", qty, clientOrderId });
      this.record(sim);
      return { ...sim.order };
    });
  }

  async getClock(): Promise<MarketClock> {
    this.throwIfOutage();
    const timestamp = this.clock.now();
    return { timestamp, ...marketClockAt(this.calendar, timestamp) };
  }

  async getCalendar(from: string, to: string): Promise<CalendarDay[]> {
    this.throwIfOutage();
    return this.calendar.sessionsBetween(from, to).map((date) => ({ date, open: this.calendar.openTime(date), close: this.calendar.closeTime(date) }));
  }

  /** Fills due orders at this session's open. */
  onSessionOpen(sessionIndex: number): void {
    this.sessionIndex = sessionIndex;
    const due = this.open.filter((sim) => sim.session < sessionIndex);
    const sellsFirst = [...due.filter(isSell), ...due.filter((sim) => !isSell(sim))];
    for (const sim of sellsFirst) this.tryFill(sim, sessionIndex);
  }

  /** Marks positions at this session's closes and expires day limit orders that did not fill. */
  onSessionClose(sessionIndex: number): void {
    this.sessionIndex = sessionIndex;
    this.lastClosedIndex = sessionIndex;
    for (const sim of this.open) {
      const { type, timeInForce } = sim.order;
      if (type === "limit" && timeInForce !== "gtc" && sim.session < sessionIndex) {
        this.finish(sim, "expired", `day limit order expired at the close: ${sim.waitReason}`);
      }
    }
  }

  /**
   * Fault-injection hook for reconciliation tests: changes the venue's position in `symbol` behind the
   * engine's back, moving no cash (added shares cost the last close). Part of VenueControl, not the Broker port.
   */
  adjustPosition(symbol: string, qtyDelta: number): void {
    this.requireSymbol(symbol);
    const mark = this.markOf(symbol);
    this.book.adjust(symbol, qtyDelta, Number.isNaN(mark) ? 0 : mark);
  }

  private validated(request: OrderRequest): OrderRequest {
    this.requireSymbol(request.symbol);
    if ((request.qty === undefined) === (request.notional === undefined)) {
      throw invalidOrder("exactly one of qty or notional is required");
    }
    if (request.notional !== undefined && request.type !== "market") {
      throw invalidOrder("notional is only allowed for market orders");
    }
    checkLimitPrice(request);
    if (this.byClientOrderId.has(request.clientOrderId)) throw duplicateClientOrderId();
    return request.qty === undefined
      ? { ...request, notional: positiveCents(request.notional) }
      : { ...request, qty: this.positiveQty(request.qty) };
  }

  private positiveQty(qty: number): number {
    const rounded = Number.isFinite(qty) ? roundQty(qty) : Number.NaN;
    if (!(rounded > 0)) throw invalidOrder(`qty must be a positive number, got ${qty}`);
    if (!this.allowFractional && !Number.isInteger(rounded)) {
      throw invalidOrder(`qty ${qty} is fractional; this account trades whole shares only`);
    }
    return rounded;
  }

  /** A new order record for a validated request; its id is taken only when `record` stores it. */
  private newOrder(request: OrderRequest): SimOrder {
    const refPrice = request.limitPrice ?? this.markOf(request.symbol);
    const needsPrice = request.side === "buy" || request.qty === undefined;
    if (needsPrice && Number.isNaN(refPrice)) throw invalidOrder(`no closing price seen yet for ${request.symbol}`);
    const order = orderFromRequest(this.nextOrderId(), request, this.clock.now());
    return { order, session: this.sessionIndex, qty: order.qty, refPrice, waitReason: "not yet tried" };
  }

  private record(sim: SimOrder): void {
    const previous = this.orders.at(-1);
    if (previous !== undefined && sim.session < previous.session) this.ordersInSessionOrder = false;
    this.ordersPlaced += 1;
    this.orders.push(sim);
    this.open.push(sim);
    this.byId.set(sim.order.id, sim);
    this.byClientOrderId.set(sim.order.clientOrderId, sim);
  }

  private nextOrderId(): string {
    return `sim-${String(this.ordersPlaced + 1).padStart(6, "0")}`;
  }

  private checkAffordable(sim: SimOrder): void {
    if (sim.order.side === "buy") {
      const required = this.reserveFor(sim);
      const available = roundCents(this.book.cash - this.reservedCash());
      if (required > available) {
        const message = `insufficient buying power: required=${dollars(required)} available=${dollars(available)}`;
        throw new BrokerError(403, "INSUFFICIENT_BUYING_POWER", message);
      }
      return;
    }
    const requested = remainingQty(sim);
    const available = roundQty(this.heldQty(sim.order.symbol) - this.openSellQty(sim.order.symbol));
    if (requested > available) {
      const message = `insufficient qty available for order (requested: ${requested}, available: ${available})`;
      throw new BrokerError(403, "INVALID_ORDER", message);
    }
  }

  /** Cash an open buy holds back: what is left to fill at its reference price, plus a commission not yet charged. */
  private reserveFor(sim: SimOrder): number {
    const commission = sim.order.filledQty === 0 ? this.commissionPerOrder : 0;
    return roundCents(remainingQty(sim) * sim.refPrice + commission);
  }

  private reservedCash(): number {
    return roundCents(this.open.filter((sim) => !isSell(sim)).reduce((sum, sim) => sum + this.reserveFor(sim), 0));
  }

  private openSellQty(symbol: string): number {
    const sells = this.open.filter((sim) => isSell(sim) && sim.order.symbol === symbol);
    return roundQty(sells.reduce((sum, sim) => sum + remainingQty(sim), 0));
  }

  private heldQty(symbol: string): number {
    return this.book.qtyOf(symbol);
  }

  private tryFill(sim: SimOrder, sessionIndex: number): void {
    const { order } = sim;
    if (sessionIndex - sim.session > MAX_OPEN_SESSIONS) {
      this.finish(sim, "expired", `not filled within ${MAX_OPEN_SESSIONS} sessions: ${sim.waitReason}`);
      return;
    }
    const open = this.openPrice(order.symbol, sessionIndex);
    if (open === null) {
      sim.waitReason = `no bar for ${order.symbol}`;
      return;
    }
    if (!limitReached(order, open)) {
      sim.waitReason = `open ${open} did not reach limit ${order.limitPrice}`;
      return;
    }
    const price = this.fillPrice(order, open);
    const qty = this.fillQty(sim, price);
    if (qty !== null) this.settle(sim, qty, price);
  }

  /** The open with adverse slippage, never worse than a limit. */
  private fillPrice(order: Order, open: number): number {
    const buy = order.side === "buy";
    const slipped = open * (buy ? 1 + this.slippage : 1 - this.slippage);
    if (order.limitPrice === null) return slipped;
    return buy ? Math.min(slipped, order.limitPrice) : Math.max(slipped, order.limitPrice);
  }

  /** Shares to fill now (sizing a notional order at its first fill), or null when the order was rejected. */
  private fillQty(sim: SimOrder, price: number): number | null {
    if (sim.qty === null) {
      const notional = sim.order.notional ?? 0;
      const qty = floorQty(notional / price, this.allowFractional);
      if (isZeroQty(qty)) {
        const unit = this.allowFractional ? "0.000000001 share" : "one whole share";
        this.finish(sim, "rejected", `notional ${dollars(notional)} buys less than ${unit} at ${price}`);
        return null;
      }
      sim.qty = qty;
      sim.refPrice = price;
    }
    const remaining = remainingQty(sim);
    if (!this.faultHits("partial_fill")) return remaining;
    const part = floorQty(remaining * (0.1 + 0.8 * this.faults.draw()), this.allowFractional);
    return isZeroQty(part) ? remaining : part;
  }

  /** Books the fill, or rejects the order when it would oversell or take cash below zero. */
  private settle(sim: SimOrder, qty: number, price: number): void {
    const { order } = sim;
    const commission = order.filledQty === 0 ? this.commissionPerOrder : 0;
    const shortfall = this.shortfall(order, qty, price, commission);
    if (shortfall !== null) {
      this.finish(sim, "rejected", shortfall);
      return;
    }
    this.book.fill(order.side, order.symbol, qty, price, commission);
    const filledQty = roundQty(order.filledQty + qty);
    order.filledAvgPrice = ((order.filledAvgPrice ?? 0) * order.filledQty + price * qty) / filledQty;
    order.filledQty = filledQty;
    order.commission = roundCents(order.commission + commission);
    order.status = "partially_filled";
    if (isZeroQty(remainingQty(sim))) {
      order.status = "filled";
      order.filledAt = this.clock.now();
      this.retire(sim);
    }
  }

  private shortfall(order: Order, qty: number, price: number, commission: number): string | null {
    const held = this.heldQty(order.symbol);
    if (order.side === "sell" && qty > held) return `insufficient qty at fill: requested ${qty}, held ${held}`;
    const value = roundCents(qty * price);
    const required = roundCents(order.side === "buy" ? value + commission : commission - value);
    const available = this.book.cash;
    if (required <= available) return null;
    return `insufficient cash at fill: required=${dollars(required)} available=${dollars(available)}`;
  }

  private finish(sim: SimOrder, status: OrderStatus, reason: string): void {
    sim.order.status = status;
    sim.order.reason = reason;
    this.retire(sim);
  }

  /** Drops a done order from the open list (loops over the old list are unaffected). */
  private retire(sim: SimOrder): void {
    this.open = this.open.filter((candidate) => candidate !== sim);
  }

  private openPrice(symbol: string, sessionIndex: number): number | null {
    const bars = this.bars.series(symbol);
    const open = bars.open[sessionIndex];
    return bars.present[sessionIndex] === 1 && isPrice(open) ? open : null;
  }

  /** The last good close at or before the last closed session, NaN when none was seen. */
  private markOf(symbol: string): number {
    const { close, present } = this.bars.series(symbol);
    for (let i = Math.min(this.lastClosedIndex, close.length - 1); i >= 0; i--) {
      if (present[i] === 1 && isPrice(close[i])) return close[i];
    }
    return Number.NaN;
  }

  private markOrCost(symbol: string): number {
    const mark = this.markOf(symbol);
    return Number.isNaN(mark) ? this.book.avgCostOf(symbol) : mark;
  }

  private requireSymbol(symbol: string): void {
    if (!this.bars.has(symbol)) throw invalidOrder(`unknown symbol ${symbol}`);
  }

  private throwIfOutage(): void {
    if (this.faultHits("outage")) throw new BrokerError(503, "UNAVAILABLE", "simulated outage: broker unavailable");
  }

  private faultHits(kind: BrokerFault["kind"]): boolean {
    return this.faults.hits(kind, this.sessionIndex);
  }
}

function remainingQty(sim: SimOrder): number {
  const total = sim.qty ?? roundQty((sim.order.notional ?? 0) / sim.refPrice);
  return roundQty(total - sim.order.filledQty);
}

function checkLimitPrice(request: OrderRequest): void {
  if (request.type === "market" && request.limitPrice !== undefined) {
    throw invalidOrder("limit_price is only allowed for limit orders");
  }
  if (request.type === "limit" && !isPrice(request.limitPrice ?? Number.NaN)) {
    throw invalidOrder(`limit orders need a positive limit_price, got ${request.limitPrice}`);
  }
}

function positiveCents(amount: number | undefined): number {
  const cents = Number.isFinite(amount) ? roundCents(amount as number) : Number.NaN;
  if (!(cents > 0)) throw invalidOrder(`notional must be at least 0.01, got ${amount}`);
  return cents;
}

function limitReached(order: Order, open: number): boolean {
  if (order.limitPrice === null) return true;
  return order.side === "buy" ? open <= order.limitPrice : open >= order.limitPrice;
}

function matchesStatus(order: Order, status: NonNullable<ListOrdersQuery["status"]>): boolean {
  return status === "all" || (status === "open") === isOpenOrder(order);
}

function isSell(sim: SimOrder): boolean {
  return sim.order.side === "sell";
}

function isPrice(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

function dollars(amount: number): string {
  return amount.toFixed(2);
}

function nonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  return value;
}

function invalidOrder(message: string): BrokerError {
  return new BrokerError(422, "INVALID_ORDER", message);
}

function duplicateClientOrderId(): BrokerError {
  return new BrokerError(422, "DUPLICATE_CLIENT_ORDER_ID", DUPLICATE_CLIENT_ORDER_ID_MESSAGE);
}
