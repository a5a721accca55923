import type { ListOrdersQuery, OrderRequest, OrderSide, OrderType, TimeInForce } from "../broker/index.js";
import { HttpError } from "./http.js";

const SIDES: readonly OrderSide[] = ["buy", "sell"];
const TYPES: readonly OrderType[] = ["market", "limit"];
const TIMES_IN_FORCE: readonly TimeInForce[] = ["day", "gtc", "opg", "cls", "ioc", "fok"];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A `POST /v2/orders` body as an order request. Amounts may be strings or numbers, as Alpaca accepts both;
 * the venue behind validates the rest (one of qty/notional, limit price, buying power) with Alpaca's answers.
 */
export function parseOrderRequest(body: Record<string, unknown>, generatedClientOrderId: () => string): OrderRequest {
  const request: OrderRequest = {
    symbol: requiredText(body.symbol, "symbol"),
    side: choice(body.side, "side", SIDES),
    type: choice(body.type, "type", TYPES),
    timeInForce: choice(body.time_in_force, "time_in_force", TIMES_IN_FORCE),
    clientOrderId: body.client_order_id === undefined ? generatedClientOrderId() : requiredText(body.client_order_id, "client_order_id"),
  };
  const qty = optionalDecimal(body.qty, "qty");
  const notional = optionalDecimal(body.notional, "notional");
  const limitPrice = optionalDecimal(body.limit_price, "limit_price");
  if (qty !== undefined) request.qty = qty;
  if (notional !== undefined) request.notional = notional;
  if (limitPrice !== undefined) request.limitPrice = limitPrice;
  return request;
}

/** Alpaca's `GET /v2/orders` query beyond what the port's `ListOrdersQuery` carries. */
export interface OrderListing {
  query: ListOrdersQuery;
  until?: number;
  /** 1..500, default 50 as on Alpaca. */
  limit: number;
  direction: "asc" | "desc";
  symbols?: ReadonlySet<string>;
}

export function parseOrderListing(params: URLSearchParams): OrderListing {
  const status = params.get("status") ?? "open";
  if (status !== "open" && status !== "closed" && status !== "all") throw new HttpError(422, "status must be open, closed or all");
  const direction = params.get("direction") ?? "desc";
  if (direction !== "asc" && direction !== "desc") throw new HttpError(422, "direction must be asc or desc");
  const after = optionalTime(params.get("after"), "after");
  const symbols = params.get("symbols");
  return {
    query: after === undefined ? { status } : { status, after },
    until: optionalTime(params.get("until"), "until"),
    limit: limitParam(params.get("limit"), 50, 500),
    direction,
    symbols: symbols ? new Set(symbols.split(",").map((symbol) => symbol.trim())) : undefined,
  };
}

/** A `limit` query parameter within 1..max. */
export function limitParam(raw: string | null, fallback: number, max: number): number {
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new HttpError(422, `limit must be a whole number from 1 to ${max}`);
  return limit;
}

/** An RFC 3339 time as epoch ms. */
export function optionalTime(raw: string | null, name: string): number | undefined {
  if (raw === null || raw === "") return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new HttpError(422, `${name} must be an RFC 3339 time, got '${raw}'`);
  return ms;
}

function requiredText(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new HttpError(422, `${name} is required`);
  return value;
}

function choice<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new HttpError(422, `invalid ${name}: ${JSON.stringify(value)} (the sandbox takes ${allowed.join(", ")})`);
  }
  return value as T;
}

function optionalDecimal(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !DECIMAL.test(text.trim())) throw new HttpError(422, `invalid ${name}: ${JSON.stringify(value)}`);
  return Number(text);
}
