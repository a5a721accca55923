import { assertSessionDate, lastClosedSession, sessionDateOf, type Clock, type SessionDate, type TradingCalendar } from "../clock/index.js";
import { BrokerError, type Broker, type Order } from "../broker/index.js";
import type { BarStore } from "../data/index.js";
import { barsPage } from "./bars.js";
import { HttpError, json, type Reply } from "./http.js";
import { parseOrderListing, parseOrderRequest } from "./requests.js";
import { accountJson, calendarDayJson, clockJson, orderJson, positionJson } from "./wire.js";

/** What the Alpaca routes answer from: a venue (usually a SimulatedBroker), its clock, calendar and bars. */
export interface Venue {
  broker: Broker;
  clock: Clock;
  calendar: TradingCalendar;
  bars: BarStore;
  /** Largest bars page, below Alpaca's 10,000 so tests can make pagination happen. */
  barsPageSize: number;
  /** Epoch ms the account was opened (Alpaca's `created_at`). */
  openedAt: number;
  /** A client order id for a submit without one (Alpaca generates one too). */
  nextClientOrderId(): string;
}

export interface RouteRequest {
  venue: Venue;
  params: URLSearchParams;
  /** Path captures of the route's pattern. */
  captures: string[];
  body(): Promise<Record<string, unknown>>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle(request: RouteRequest): Promise<Reply>;
}

/** Days `/v2/calendar` covers when the request names no end. */
const DEFAULT_CALENDAR_DAYS = 30;

/** The parts of Alpaca's trading and market-data v2 API that the Alpaca adapter uses. */
export const ALPACA_ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/v2\/account$/, handle: async ({ venue }) => json(accountJson(await venue.broker.getAccount(), venue.openedAt)) },
  { method: "GET", pattern: /^\/v2\/clock$/, handle: async ({ venue }) => json(clockJson(await venue.broker.getClock())) },
  { method: "GET", pattern: /^\/v2\/calendar$/, handle: calendar },
  { method: "GET", pattern: /^\/v2\/positions$/, handle: async ({ venue }) => json((await venue.broker.getPositions()).map(positionJson)) },
  { method: "DELETE", pattern: /^\/v2\/positions$/, handle: closeAllPositions },
  { method: "GET", pattern: /^\/v2\/orders$/, handle: listOrders },
  { method: "POST", pattern: /^\/v2\/orders$/, handle: submitOrder },
  { method: "DELETE", pattern: /^\/v2\/orders$/, handle: cancelAllOrders },
  { method: "GET", pattern: /^\/v2\/orders:by_client_order_id$/, handle: orderByClientOrderId },
  { method: "GET", pattern: /^\/v2\/orders\/([^/]+)$/, handle: async ({ venue, captures }) => json(orderJson(await orderById(venue, captures[0]))) },
  { method: "DELETE", pattern: /^\/v2\/orders\/([^/]+)$/, handle: cancelOrder },
  { method: "GET", pattern: /^\/v2\/stocks\/bars$/, handle: bars },
];

async function submitOrder({ venue, body }: RouteRequest): Promise<Reply> {
  const request = parseOrderRequest(await body(), () => venue.nextClientOrderId());
  return json(orderJson(await venue.broker.submitOrder(request)));
}

async function listOrders({ venue, params }: RouteRequest): Promise<Reply> {
  const listing = parseOrderListing(params);
  const until = listing.until ?? Infinity;
  const newestFirst = (await venue.broker.listOrders(listing.query)).filter(
    (order) => order.submittedAt <= until && (listing.symbols === undefined || listing.symbols.has(order.symbol)),
  );
  const ordered = listing.direction === "desc" ? newestFirst : newestFirst.reverse();
  return json(ordered.slice(0, listing.limit).map(orderJson));
}

async function orderByClientOrderId({ venue, params }: RouteRequest): Promise<Reply> {
  const clientOrderId = params.get("client_order_id");
  if (!clientOrderId) throw new HttpError(422, "client_order_id is required");
  const order = await venue.broker.getOrderByClientOrderId(clientOrderId);
  if (!order) throw new HttpError(404, "order not found");
  return json(orderJson(order));
}

/** Alpaca answers a cancel with 204 and no body. */
async function cancelOrder({ venue, captures }: RouteRequest): Promise<Reply> {
  await venue.broker.cancelOrder(captures[0]);
  return { status: 204 };
}

/** Alpaca's multi-status answer: one `{id, status}` per open order it tried to cancel. */
async function cancelAllOrders({ venue }: RouteRequest): Promise<Reply> {
  const results = [];
  for (const order of await venue.broker.listOrders({ status: "open" })) {
    results.push(await cancelOutcome(venue.broker, order));
  }
  return json(results, 207);
}

async function cancelOutcome(broker: Broker, order: Order): Promise<Record<string, unknown>> {
  try {
    await broker.cancelOrder(order.id);
    return { id: order.id, status: 200 };
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    return { id: order.id, status: error.status, body: { message: error.message } };
  }
}

/** Alpaca's multi-status answer: one `{symbol, status, body}` per position, the body being the closing order. */
async function closeAllPositions({ venue }: RouteRequest): Promise<Reply> {
  const orders = await venue.broker.closeAllPositions();
  return json(
    orders.map((order) => ({ symbol: order.symbol, status: 200, body: orderJson(order) })),
    207,
  );
}

async function calendar({ venue, params }: RouteRequest): Promise<Reply> {
  const start = dateParam(params.get("start"), "start") ?? sessionDateOf(venue.clock.now());
  const end = dateParam(params.get("end"), "end") ?? addDays(start, DEFAULT_CALENDAR_DAYS);
  const days = await venue.broker.getCalendar(start, end);
  return json(days.map((day) => calendarDayJson(day, venue.calendar)));
}

async function bars({ venue, params }: RouteRequest): Promise<Reply> {
  const lastSession = lastClosedSessionOrNull(venue);
  return json(barsPage(params, venue.bars, lastSession, venue.barsPageSize));
}

/** The latest session the venue has closed: bars after it are the future. */
function lastClosedSessionOrNull(venue: Venue): SessionDate | null {
  const first = venue.bars.sessions[0];
  if (first === undefined || venue.clock.now() < venue.calendar.closeTime(first)) return null;
  return lastClosedSession(venue.calendar, venue.clock.now());
}

async function orderById(venue: Venue, id: string): Promise<Order> {
  const order = (await venue.broker.listOrders({ status: "all" })).find((candidate) => candidate.id === id);
  if (!order) throw new HttpError(404, "order not found");
  return order;
}

/** A calendar bound: `YYYY-MM-DD`, or an RFC 3339 time whose date part is taken (the SDK sends those). */
function dateParam(raw: string | null, name: string): SessionDate | undefined {
  if (raw === null || raw === "") return undefined;
  try {
    return assertSessionDate(raw.slice(0, 10), name);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
}

function addDays(date: SessionDate, days: number): SessionDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
