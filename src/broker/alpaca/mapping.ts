import type { trading } from "@alpacahq/alpaca-trade-api/rest";
import { newYorkTimeOn } from "../../clock/index.js";
import { roundCents, roundQty } from "../../portfolio/index.js";
import {
  BrokerError,
  type Account,
  type CalendarDay,
  type MarketClock,
  type Order,
  type OrderRequest,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type Position,
  type TimeInForce,
} from "../types.js";

/**
 * Alpaca's records ↔ the port's. The trading API sends every number as a decimal string: amounts are parsed
 * to whole cents (`roundCents`), quantities to 9 decimals (`roundQty`); prices are kept as sent, since a fill
 * price is not an amount and may carry more than two decimals. Times arrive as Dates (the SDK parses the
 * ISO strings) and leave as epoch ms.
 */

/** Sandbox extensions Alpaca does not send (the generated model keeps unknown fields as they came). */
interface SandboxOrderFields {
  reason?: string | null;
  commission?: string;
}

export function orderFromAlpaca(order: trading.Order): Order {
  const extra = order as trading.Order & SandboxOrderFields;
  return {
    id: required(order.id, "order id"),
    clientOrderId: required(order.clientOrderId, "client_order_id"),
    symbol: required(order.symbol, "symbol"),
    side: sideFromAlpaca(order.side),
    type: typeFromAlpaca(order.type),
    timeInForce: timeInForceFromAlpaca(order.timeInForce),
    qty: optional(order.qty, quantity),
    notional: optional(order.notional, amount),
    limitPrice: optional(order.limitPrice, price),
    status: statusFromAlpaca(order.status),
    filledQty: quantity(order.filledQty ?? "0"),
    filledAvgPrice: optional(order.filledAvgPrice, price),
    commission: amount(extra.commission ?? "0"),
    submittedAt: epochMs(order.submittedAt ?? order.createdAt, "submitted_at"),
    filledAt: order.filledAt ? epochMs(order.filledAt, "filled_at") : null,
    reason: extra.reason ?? null,
  };
}

export function orderToAlpaca(request: OrderRequest): trading.PostOrderRequest {
  return {
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    timeInForce: request.timeInForce,
    clientOrderId: request.clientOrderId,
    qty: request.qty === undefined ? undefined : decimalText(roundQty(request.qty), 9),
    notional: request.notional === undefined ? undefined : decimalText(roundCents(request.notional), 2),
    limitPrice: request.limitPrice === undefined ? undefined : decimalText(request.limitPrice, 9),
  };
}

export function accountFromAlpaca(account: trading.Account): Account {
  return {
    cash: amount(required(account.cash, "cash")),
    equity: amount(required(account.equity, "equity")),
    buyingPower: amount(required(account.buyingPower, "buying_power")),
    // Any of these makes Alpaca refuse new orders.
    tradingBlocked: Boolean(account.tradingBlocked || account.accountBlocked || account.tradeSuspendedByUser),
  };
}

export function positionFromAlpaca(position: trading.Position): Position {
  return {
    symbol: position.symbol,
    qty: quantity(position.qty),
    avgEntryPrice: price(position.avgEntryPrice),
    currentPrice: price(position.currentPrice),
    marketValue: amount(position.marketValue),
    costBasis: amount(position.costBasis),
    unrealizedPl: amount(position.unrealizedPl),
  };
}

export function clockFromAlpaca(clock: trading.LegacyClock): MarketClock {
  return {
    timestamp: epochMs(clock.timestamp, "timestamp"),
    isOpen: clock.isOpen,
    nextOpen: epochMs(clock.nextOpen, "next_open"),
    nextClose: epochMs(clock.nextClose, "next_close"),
  };
}

/** Alpaca gives a day's open and close as New York wall-clock `HH:MM`. */
export function calendarDayFromAlpaca(day: trading.LegacyCalendarDay): CalendarDay {
  const date = day.date.toISOString().slice(0, 10);
  return { date, open: newYorkTimeOn(date, minutesOf(day.open)), close: newYorkTimeOn(date, minutesOf(day.close)) };
}

/**
 * Orders from Alpaca's per-symbol answer to "close all positions". A symbol it could not close becomes an
 * error naming it; the orders placed for the others are then listed in that error's message, since the
 * port returns orders or throws, not both.
 */
export function ordersFromCloseAll(results: readonly trading.PositionClosedReponse[]): Order[] {
  const failed = results.filter((result) => result.status < 200 || result.status >= 300 || !result.body);
  const placed = results.filter((result) => !failed.includes(result)).map((result) => orderFromAlpaca(result.body as trading.Order));
  if (failed.length === 0) return placed;
  const failures = failed.map((result) => `${result.symbol} (${result.status}: ${messageOf(result.body)})`).join(", ");
  const placedText = placed.length === 0 ? "no order placed" : `orders placed for ${placed.map((order) => order.symbol).join(", ")}`;
  throw new BrokerError(failed[0].status, "REJECTED", `close all positions failed for ${failures}; ${placedText}`);
}

/** The `message` of an error body, which the SDK parses as if it were an order. */
function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : "no message";
}

function sideFromAlpaca(side: trading.OrderSide | undefined): OrderSide {
  switch (side) {
    case "buy":
      return "buy";
    case "sell":
      return "sell";
    default:
      throw malformed(`order side ${String(side)}`);
  }
}

function typeFromAlpaca(type: trading.OrderType): OrderType {
  switch (type) {
    case "market":
      return "market";
    case "limit":
      return "limit";
    default:
      throw malformed(`order type ${String(type)} (the port trades market and limit orders only)`);
  }
}

function timeInForceFromAlpaca(timeInForce: trading.TimeInForce): TimeInForce {
  switch (timeInForce) {
    case "day":
    case "gtc":
    case "opg":
    case "cls":
    case "ioc":
    case "fok":
      return timeInForce;
    default:
      throw malformed(`time_in_force ${String(timeInForce)}`);
  }
}

/** Alpaca's many working states are "accepted" to the port: open, not filled, not terminal. */
function statusFromAlpaca(status: trading.OrderStatus | undefined): OrderStatus {
  switch (status) {
    case "new":
      return "new";
    case "partially_filled":
      return "partially_filled";
    case "filled":
      return "filled";
    case "canceled":
    case "replaced":
      return "canceled";
    case "expired":
      return "expired";
    case "rejected":
      return "rejected";
    case "accepted":
    case "pending_new":
    case "accepted_for_bidding":
    case "pending_cancel":
    case "pending_replace":
    case "done_for_day":
    case "stopped":
    case "suspended":
    case "calculated":
    case "held":
      return "accepted";
    default:
      throw malformed(`order status ${String(status)}`);
  }
}

/** Dollars to whole cents. */
function amount(text: string): number {
  return roundCents(decimal(text));
}

/** Shares to 9 decimals. */
function quantity(text: string): number {
  return roundQty(decimal(text));
}

function price(text: string): number {
  return decimal(text);
}

function decimal(text: string): number {
  const value = typeof text === "string" && text.trim() !== "" ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw malformed(`number ${JSON.stringify(text)}`);
  return value;
}

function optional<T>(text: string | null | undefined, parse: (text: string) => T): T | null {
  return text === null || text === undefined ? null : parse(text);
}

/** A number as Alpaca takes it: fixed-point, at most `decimals` places, no exponent. */
function decimalText(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/\.?0+$/, "");
}

function epochMs(date: Date | null | undefined, field: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw malformed(`time ${field}`);
  return ms;
}

function minutesOf(hhmm: string): number {
  const match = /^(\d{2}):?(\d{2})$/.exec(hhmm);
  if (!match) throw malformed(`calendar time ${JSON.stringify(hhmm)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw malformed(`missing ${field}`);
  return value;
}

function malformed(what: string): BrokerError {
  return new BrokerError(502, "UNAVAILABLE", `unreadable answer from the broker: ${what}`);
}
