import { countSpec, optionalRange, range, sessionIn } from "./dates.js";
import { singleKeyItem } from "./itemKind.js";
import type { DateRange, Expectation, ExpectationKind } from "./schema.js";
import { boolean, fraction, mapping, number, oneOf, optional, text, type At } from "./walker.js";

const KINDS: readonly ExpectationKind[] = [
  "state", "event", "no_entries", "multiplier", "blocked", "not_blocked", "artifact", "health", "orders", "emails", "equity", "max_drawdown",
];
const MODES = ["ACTIVE", "HALTED", "PANIC", "RAMPUP"] as const;
const HEALTH = ["HEALTHY", "WARNING", "DEGRADED", "CRITICAL", "INSUFFICIENT_DATA"] as const;
const RANGE_KEYS = ["date", "between", "from", "to"];
const COUNT_KEYS = ["count", "min", "max"];

/** Validates one `expect[i]` item, written `- state: { date, is }`. */
export function parseExpectation(at: At, window: DateRange): Expectation {
  const { kind, body } = singleKeyItem(at, KINDS);
  const path = body.path;
  const within = () => range(body, window);
  switch (kind) {
    case "state":
      mapping(body, [...RANGE_KEYS, "is"]);
      return { path, kind, range: within(), is: oneOf(body.key("is"), MODES) };
    case "event":
      mapping(body, ["type", ...RANGE_KEYS, ...COUNT_KEYS, "reason", "symbol", "strategy", "detail_contains"]);
      return {
        path, kind, type: text(body.key("type")), range: optionalRange(body, window), count: countSpec(body, { min: 1 }),
        reason: optional(body.key("reason"), text), symbol: optional(body.key("symbol"), text),
        strategy: optional(body.key("strategy"), text), detailContains: optional(body.key("detail_contains"), text),
      };
    case "no_entries":
      mapping(body, [...RANGE_KEYS, "strategy"]);
      return { path, kind, range: within(), strategy: optional(body.key("strategy"), text) };
    case "multiplier":
      mapping(body, [...RANGE_KEYS, "is"]);
      return { path, kind, range: within(), is: fraction(body.key("is")) };
    case "blocked":
      mapping(body, ["symbol", ...RANGE_KEYS, "reason"]);
      return { path, kind, symbol: text(body.key("symbol")), range: within(), reason: text(body.key("reason")) };
    case "not_blocked":
      mapping(body, ["symbol", ...RANGE_KEYS, "reason"]);
      return { path, kind, symbol: text(body.key("symbol")), range: within(), reason: optional(body.key("reason"), text) };
    case "artifact":
      mapping(body, ["kind", "date", "exists", "contains"]);
      return {
        path, kind, artifact: text(body.key("kind")), date: optional(body.key("date"), (date) => sessionIn(date, window)),
        exists: optional(body.key("exists"), boolean) ?? true, contains: optional(body.key("contains"), text),
      };
    case "health":
      mapping(body, ["strategy", "status", "date", "window"]);
      return {
        path, kind, strategy: text(body.key("strategy")), status: oneOf(body.key("status"), HEALTH),
        date: optional(body.key("date"), (date) => sessionIn(date, window)), window: optional(body.key("window"), (w) => oneOf(w, ["short", "long"])) ?? "long",
      };
    case "orders":
      mapping(body, [...COUNT_KEYS, "side"]);
      return { path, kind, count: countSpec(body, undefined), side: optional(body.key("side"), (side) => oneOf(side, ["buy", "sell"])) };
    case "emails":
      mapping(body, ["subject_contains", ...COUNT_KEYS]);
      return { path, kind, subjectContains: text(body.key("subject_contains")), count: countSpec(body, { min: 1 }) };
    case "equity":
      return equity(body, window);
    case "max_drawdown":
      return maxDrawdown(body);
  }
}

function equity(body: At, window: DateRange): Expectation {
  mapping(body, ["date", "min", "max"]);
  const min = optional(body.key("min"), number);
  const max = optional(body.key("max"), number);
  if (min === undefined && max === undefined) body.problem("expected `min`, `max` or both");
  return { path: body.path, kind: "equity", date: sessionIn(body.key("date"), window), min, max };
}

function maxDrawdown(body: At): Expectation {
  mapping(body, ["below", "above"]);
  const below = optional(body.key("below"), fraction);
  const above = optional(body.key("above"), fraction);
  if (below === undefined && above === undefined) body.problem("expected `below`, `above` or both");
  return { path: body.path, kind: "max_drawdown", below, above };
}
