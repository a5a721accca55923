import { BAR_FIELDS, type BarField } from "../data/index.js";
import { sessionIn } from "./dates.js";
import { singleKeyItem } from "./itemKind.js";
import type { DateRange, Injection, InjectionKind } from "./schema.js";
import { fraction, list, mapping, number, oneOf, optional, positiveInteger, text, type At } from "./walker.js";

const KINDS: readonly InjectionKind[] = [
  "stale_feed", "nan_values", "bad_bar", "price_shock", "drawdown", "broker_fault", "kill_switch", "restart", "reconciliation_drift",
];
const FAULT_KINDS = ["reject", "timeout", "outage", "partial_fill", "duplicate_client_order_id"] as const;

/** Validates one `injections[i]` item, written `- stale_feed: { symbol, from, sessions }`. */
export function parseInjection(at: At, window: DateRange): Injection {
  const { kind, body } = singleKeyItem(at, KINDS);
  const path = body.path;
  const on = (key: string) => sessionIn(body.key(key), window);
  switch (kind) {
    case "stale_feed":
      mapping(body, ["symbol", "from", "sessions"]);
      return { path, kind, symbol: text(body.key("symbol")), from: on("from"), sessions: positiveInteger(body.key("sessions")) };
    case "nan_values":
      mapping(body, ["symbol", "date", "fields"]);
      return { path, kind, symbol: text(body.key("symbol")), date: on("date"), fields: barFields(body.key("fields")) };
    case "bad_bar":
      mapping(body, ["symbol", "date", ...BAR_FIELDS]);
      return { path, kind, symbol: text(body.key("symbol")), date: on("date"), values: barValues(body) };
    case "price_shock":
      mapping(body, ["symbol", "date", "pct"]);
      return { path, kind, symbol: text(body.key("symbol")), date: on("date"), pct: shockPct(body.key("pct")) };
    case "drawdown":
      mapping(body, ["date", "to"]);
      return { path, kind, date: on("date"), to: drawdownDepth(body.key("to")) };
    case "broker_fault":
      mapping(body, ["from", "sessions", "kind", "rate"]);
      return {
        path, kind, from: on("from"), sessions: positiveInteger(body.key("sessions")),
        fault: oneOf(body.key("kind"), FAULT_KINDS), rate: optional(body.key("rate"), faultRate) ?? 1,
      };
    case "kill_switch":
      mapping(body, ["date", "switch", "strategy"]);
      return { path, kind, date: on("date"), on: oneOf(body.key("switch"), ["on", "off"]) === "on", strategy: optional(body.key("strategy"), text) };
    case "restart":
      mapping(body, ["date"]);
      return { path, kind, date: on("date") };
    case "reconciliation_drift":
      mapping(body, ["date", "symbol", "qty"]);
      return { path, kind, date: on("date"), symbol: text(body.key("symbol")), qty: nonZero(body.key("qty")) };
  }
}

function barFields(at: At): BarField[] {
  const fields = list(at, "bar fields").map((field) => oneOf(field, BAR_FIELDS));
  if (fields.length === 0) at.fail(`at least one of ${BAR_FIELDS.join(", ")}`);
  return fields;
}

function barValues(body: At): Partial<Record<BarField, number>> {
  const values: Partial<Record<BarField, number>> = {};
  for (const field of BAR_FIELDS) {
    const value = optional(body.key(field), number);
    if (value !== undefined) values[field] = value;
  }
  if (Object.keys(values).length === 0) body.problem(`expected at least one of ${BAR_FIELDS.join(", ")} to overwrite`);
  return values;
}

function shockPct(at: At): number {
  const pct = number(at);
  if (!(pct > -1) || pct === 0) at.fail("a non-zero fraction above -1 (e.g. -0.2 for a 20% gap down)");
  return pct;
}

function drawdownDepth(at: At): number {
  const depth = fraction(at);
  if (depth <= 0 || depth >= 1) at.fail("a drawdown between 0 and 1 exclusive (e.g. 0.08)");
  return depth;
}

function faultRate(at: At): number {
  const rate = fraction(at);
  if (rate === 0) at.fail("a rate above 0 and at most 1");
  return rate;
}

function nonZero(at: At): number {
  const qty = number(at);
  if (qty === 0) at.fail("a non-zero share quantity (positive adds shares at the broker, negative removes them)");
  return qty;
}
