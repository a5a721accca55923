import { notASession, nyseCalendar } from "../clock/index.js";
import type { SessionDate } from "../clock/index.js";
import type { CountSpec, DateRange } from "./schema.js";
import { date, list, nonNegativeInteger, optional, type At } from "./walker.js";

/** A date that is an NYSE session; otherwise the error names the sessions on either side. */
export function session(at: At): SessionDate {
  const value = date(at);
  const problem = notASession(nyseCalendar, value);
  if (problem) at.problem(problem);
  return value;
}

/** A date that is an NYSE session inside the scenario's replay window. */
export function sessionIn(at: At, window: DateRange): SessionDate {
  const value = session(at);
  if (value < window.from || value > window.to) at.problem(`${value} is outside the replay window ${window.from}..${window.to}`);
  return value;
}

/** Any of `date: D`, `between: [A, B]` or `from: A` + `to: B` on the mapping `at`; undefined when none is given. */
export function optionalRange(at: At, window: DateRange): DateRange | undefined {
  const single = at.key("date");
  const between = at.key("between");
  if (single.present) return { from: sessionIn(single, window), to: sessionIn(single, window) };
  if (between.present) {
    const ends = list(between, "two dates");
    if (ends.length !== 2) between.fail("a list of two dates [from, to]");
    return ordered(between, sessionIn(ends[0], window), sessionIn(ends[1], window));
  }
  const from = at.key("from");
  const to = at.key("to");
  if (!from.present && !to.present) return undefined;
  if (!from.present) return from.fail("a date YYYY-MM-DD (with `to`)");
  if (!to.present) return to.fail("a date YYYY-MM-DD (with `from`)");
  return ordered(at, sessionIn(from, window), sessionIn(to, window));
}

/** Like optionalRange, but one of the forms is required. */
export function range(at: At, window: DateRange): DateRange {
  return optionalRange(at, window) ?? at.problem("expected `date`, `between: [from, to]` or `from` and `to`");
}

function ordered(at: At, from: SessionDate, to: SessionDate): DateRange {
  if (from > to) at.problem(`range starts ${from} after it ends ${to}`);
  return { from, to };
}

/** `count: N`, or `min`/`max`; `fallback` when none is given. */
export function countSpec(at: At, fallback: CountSpec | undefined): CountSpec {
  const count = optional(at.key("count"), nonNegativeInteger);
  const min = optional(at.key("min"), nonNegativeInteger);
  const max = optional(at.key("max"), nonNegativeInteger);
  if (count !== undefined && (min !== undefined || max !== undefined)) at.key("count").problem("give either count or min/max, not both");
  if (min !== undefined && max !== undefined && min > max) at.key("min").problem(`min ${min} is above max ${max}`);
  if (count === undefined && min === undefined && max === undefined) {
    return fallback ?? at.problem("expected `count`, `min` or `max`");
  }
  return { count, min, max };
}

/** True when `n` satisfies the spec. */
export function countMatches(spec: CountSpec, n: number): boolean {
  if (spec.count !== undefined) return n === spec.count;
  return (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
}

/** `3`, `>= 1`, `1..4`, for messages. */
export function describeCount(spec: CountSpec): string {
  if (spec.count !== undefined) return String(spec.count);
  if (spec.min !== undefined && spec.max !== undefined) return `${spec.min}..${spec.max}`;
  return spec.min !== undefined ? `>= ${spec.min}` : `<= ${spec.max}`;
}
