import { newYorkTimeOn, type SessionDate, type TradingCalendar } from "../clock/index.js";
import type { Account, CalendarDay, MarketClock, Order, Position } from "../broker/index.js";

/**
 * Alpaca's v2 wire format for the port's records: snake_case fields, ISO-8601 times, and every amount, price
 * and quantity of the trading API as a decimal string (market-data bars carry plain numbers).
 */

type Json = Record<string, unknown>;

/** Alpaca's numeric error codes: the HTTP status followed by a sub-code. */
export function alpacaErrorBody(status: number, message: string): Json {
  return { code: status * 100_000 + 10_000, message };
}

/**
 * A number as Alpaca writes it: a decimal string that parses back to the same double (so fills priced
 * at a slipped open survive the trip exactly), never in exponent notation.
 */
export function decimalText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, "");
}

function optionalDecimal(value: number | null): string | null {
  return value === null ? null : decimalText(value);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An order as Alpaca's `/v2/orders` answers it. Two fields are sandbox extensions Alpaca does not send:
 * `reason` (why the venue rejected, canceled or expired it) and `commission`, so a replay through the
 * sandbox keeps the simulated venue's reasons and charges.
 */
export function orderJson(order: Order): Json {
  const submittedAt = isoTime(order.submittedAt);
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: submittedAt,
    updated_at: order.filledAt === null ? submittedAt : isoTime(order.filledAt),
    submitted_at: submittedAt,
    filled_at: order.filledAt === null ? null : isoTime(order.filledAt),
    expired_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: assetId(order.symbol),
    symbol: order.symbol,
    asset_class: "us_equity",
    notional: optionalDecimal(order.notional),
    qty: optionalDecimal(order.qty),
    filled_qty: decimalText(order.filledQty),
    filled_avg_price: optionalDecimal(order.filledAvgPrice),
    order_class: "simple",
    order_type: order.type,
    type: order.type,
    side: order.side,
    time_in_force: order.timeInForce,
    limit_price: optionalDecimal(order.limitPrice),
    stop_price: null,
    status: order.status,
    extended_hours: false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    commission: decimalText(order.commission),
    reason: order.reason,
  };
}

export function accountJson(account: Account, createdAt: number): Json {
  const cash = decimalText(account.cash);
  const equity = decimalText(account.equity);
  const buyingPower = decimalText(account.buyingPower);
  return {
    id: "sandbox-account",
    account_number: "SANDBOX",
    status: "ACTIVE",
    currency: "USD",
    cash,
    equity,
    last_equity: equity,
    portfolio_value: equity,
    long_market_value: decimalText(account.equity - account.cash),
    short_market_value: "0",
    buying_power: buyingPower,
    regt_buying_power: buyingPower,
    non_marginable_buying_power: buyingPower,
    daytrading_buying_power: "0",
    initial_margin: "0",
    maintenance_margin: "0",
    multiplier: "1",
    pattern_day_trader: false,
    shorting_enabled: false,
    trading_blocked: account.tradingBlocked,
    transfers_blocked: false,
    account_blocked: false,
    trade_suspended_by_user: false,
    created_at: isoTime(createdAt),
  };
}

export function positionJson(position: Position): Json {
  const qty = decimalText(position.qty);
  const unrealizedPlpc = position.costBasis === 0 ? 0 : position.unrealizedPl / position.costBasis;
  return {
    asset_id: assetId(position.symbol),
    symbol: position.symbol,
    exchange: "NYSE",
    asset_class: "us_equity",
    asset_marginable: false,
    qty,
    qty_available: qty,
    side: position.qty < 0 ? "short" : "long",
    avg_entry_price: decimalText(position.avgEntryPrice),
    market_value: decimalText(position.marketValue),
    cost_basis: decimalText(position.costBasis),
    unrealized_pl: decimalText(position.unrealizedPl),
    unrealized_plpc: decimalText(unrealizedPlpc),
    unrealized_intraday_pl: "0",
    unrealized_intraday_plpc: "0",
    current_price: decimalText(position.currentPrice),
    lastday_price: decimalText(position.currentPrice),
    change_today: "0",
  };
}

export function clockJson(clock: MarketClock): Json {
  return {
    timestamp: isoTime(clock.timestamp),
    is_open: clock.isOpen,
    next_open: isoTime(clock.nextOpen),
    next_close: isoTime(clock.nextClose),
  };
}

/** A `/v2/calendar` day: open and close are New York wall-clock `HH:MM`, as Alpaca writes them. */
export function calendarDayJson(day: CalendarDay, calendar: TradingCalendar): Json {
  return {
    date: day.date,
    open: newYorkWallClock(day.date, day.open),
    close: newYorkWallClock(day.date, day.close),
    session_open: "0400",
    session_close: "2000",
    settlement_date: calendar.nextSession(day.date),
  };
}

function newYorkWallClock(date: SessionDate, ms: number): string {
  const minutes = Math.round((ms - newYorkTimeOn(date, 0)) / 60_000);
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** Alpaca identifies assets by UUID; the sandbox has no asset master, so the id is derived from the symbol. */
function assetId(symbol: string): string {
  return `sandbox-asset-${symbol}`;
}
