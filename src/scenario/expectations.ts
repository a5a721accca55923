import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DRY_RUN_REASON } from "../broker/index.js";
import { nyseCalendar, type SessionDate } from "../clock/index.js";
import { peakToTrough } from "../report/index.js";
import type { EquityRecord, StoredEvent, StoredOrder } from "../store/index.js";
import { countMatches, describeCount } from "./dates.js";
import type { DateRange, Expectation } from "./schema.js";

/** What a finished run left behind, read from its store and output folder. */
export interface RunRecordings {
  outDir: string;
  equity: EquityRecord[];
  events: StoredEvent[];
  orders: StoredOrder[];
}

/** One expectation's verdict; `date` is where to look in the event trail. */
export interface ExpectationResult {
  expectation: string;
  ok: boolean;
  expected: string;
  actual: string;
  date?: SessionDate;
}

type Of<K extends Expectation["kind"]> = Extract<Expectation, { kind: K }>;
type Verdict = Omit<ExpectationResult, "expectation">;

/** Checks one expectation against a finished run. */
export function checkExpectation(expectation: Expectation, run: RunRecordings): ExpectationResult {
  return { expectation: expectation.path, ...verdict(expectation, run) };
}

function verdict(expectation: Expectation, run: RunRecordings): Verdict {
  switch (expectation.kind) {
    case "state":
      return everySession(run, expectation.range, `state ${expectation.is}`, (row) => row.state, expectation.is);
    case "multiplier":
      return everySession(run, expectation.range, `sizing multiplier ${expectation.is}`, (row) => row.sizingMultiplier, expectation.is);
    case "event":
      return eventCount(expectation, run);
    case "no_entries":
      return noEntries(expectation, run);
    case "blocked":
      return blocked(expectation, run);
    case "not_blocked":
      return notBlocked(expectation, run);
    case "artifact":
      return artifact(expectation, run);
    case "health":
      return health(expectation, run);
    case "orders":
      return orders(expectation, run);
    case "emails":
      return emails(expectation, run);
    case "equity":
      return equity(expectation, run);
    case "max_drawdown":
      return drawdown(expectation, run);
  }
}

function sessionsIn(range: DateRange): SessionDate[] {
  return nyseCalendar.sessionsBetween(range.from, range.to);
}

function describeRange(range: DateRange): string {
  return range.from === range.to ? `on ${range.from}` : `on every session ${range.from}..${range.to}`;
}

function everySession<T>(run: RunRecordings, range: DateRange, what: string, read: (row: EquityRecord) => T, wanted: T): Verdict {
  const rows = new Map(run.equity.map((row) => [row.session, row]));
  const expected = `${what} ${describeRange(range)}`;
  for (const session of sessionsIn(range)) {
    const row = rows.get(session);
    if (!row) return { ok: false, expected, actual: `no session recorded on ${session}`, date: session };
    if (read(row) !== wanted) return { ok: false, expected, actual: `${read(row)} on ${session}`, date: session };
  }
  return { ok: true, expected, actual: `${wanted} on all ${sessionsIn(range).length} sessions`, date: range.from };
}

function inRange(date: SessionDate, range: DateRange | undefined): boolean {
  return range === undefined || (date >= range.from && date <= range.to);
}

function eventCount(expectation: Of<"event">, run: RunRecordings): Verdict {
  const { type, range, reason, symbol, strategy, detailContains } = expectation;
  const matches = run.events.filter(
    (event) =>
      event.type === type && inRange(event.date, range) && (reason === undefined || event.reason === reason) &&
      (symbol === undefined || event.symbol === symbol) && (strategy === undefined || event.strategy === strategy) &&
      (detailContains === undefined || event.detail.includes(detailContains)),
  );
  const filters = [
    reason && `reason ${reason}`, symbol && `symbol ${symbol}`, strategy && `strategy ${strategy}`,
    detailContains && `detail containing ${JSON.stringify(detailContains)}`,
  ].filter(Boolean);
  const when = range ? (range.from === range.to ? ` on ${range.from}` : ` in ${range.from}..${range.to}`) : "";
  return {
    ok: countMatches(expectation.count, matches.length),
    expected: `${describeCount(expectation.count)} ${type} event(s)${filters.length ? ` with ${filters.join(", ")}` : ""}${when}`,
    actual: `${matches.length}${listDates(matches.map((event) => event.date))}`,
    date: range?.from ?? matches[0]?.date,
  };
}

function listDates(dates: readonly SessionDate[]): string {
  if (dates.length === 0) return "";
  const shown = [...new Set(dates)];
  return ` (${shown.slice(0, 5).join(", ")}${shown.length > 5 ? `, … ${shown.length - 5} more dates` : ""})`;
}

/** Entries are buy orders (the engine is long-only), including those a dry run kept back. */
function noEntries(expectation: Of<"no_entries">, run: RunRecordings): Verdict {
  const { range, strategy } = expectation;
  const entries = run.orders.filter(
    (order) => order.side === "buy" && inRange(order.session, range) && (strategy === undefined || order.strategyId === strategy),
  );
  const first = entries[0];
  return {
    ok: entries.length === 0,
    expected: `no entry order${strategy ? ` of ${strategy}` : ""} in ${range.from}..${range.to}`,
    actual: first ? `${entries.length} entry order(s), first ${first.clientOrderId} (${first.strategyId} ${first.symbol}) on ${first.session}` : "none",
    date: first?.session ?? range.from,
  };
}

function blockEvents(run: RunRecordings, symbol: string, reason: string | undefined): StoredEvent[] {
  return run.events.filter((event) => event.type === "symbol_blocked" && event.symbol === symbol && (reason === undefined || event.reason === reason));
}

function blocked(expectation: Of<"blocked">, run: RunRecordings): Verdict {
  const { symbol, range, reason } = expectation;
  const dates = new Set(blockEvents(run, symbol, reason).map((event) => event.date));
  const missing = sessionsIn(range).find((session) => !dates.has(session));
  const expected = `${symbol} blocked with ${reason} ${describeRange(range)}`;
  if (missing === undefined) return { ok: true, expected, actual: "blocked", date: range.from };
  const other = blockEvents(run, symbol, undefined).filter((event) => event.date === missing).map((event) => event.reason);
  return { ok: false, expected, actual: `not blocked with ${reason} on ${missing}${other.length ? ` (blocked with ${other.join(", ")})` : ""}`, date: missing };
}

function notBlocked(expectation: Of<"not_blocked">, run: RunRecordings): Verdict {
  const { symbol, range, reason } = expectation;
  const hits = blockEvents(run, symbol, reason).filter((event) => inRange(event.date, range));
  return {
    ok: hits.length === 0,
    expected: `${symbol} not blocked${reason ? ` with ${reason}` : ""} in ${range.from}..${range.to}`,
    actual: hits.length === 0 ? "never blocked" : `blocked with ${hits[0].reason} on ${hits[0].date}: ${hits[0].detail}`,
    date: hits[0]?.date ?? range.from,
  };
}

function artifact(expectation: Of<"artifact">, run: RunRecordings): Verdict {
  const { artifact: kind, date, exists, contains } = expectation;
  const dir = join(run.outDir, "artifacts", kind);
  const files = jsonFiles(dir).filter((file) => date === undefined || file === `${date}.json`);
  const matching = files.filter((file) => contains === undefined || readFileSync(join(dir, file), "utf8").includes(contains));
  const what = `artifact ${kind}${date ? `/${date}.json` : ""}${contains ? ` containing ${JSON.stringify(contains)}` : ""}`;
  const found = matching.length > 0;
  const actual = found ? `found ${matching.slice(0, 3).join(", ")}` : files.length ? `${files.length} file(s), none containing it` : "no such file";
  return { ok: found === exists, expected: `${exists ? "" : "no "}${what}`, actual, date };
}

function jsonFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")).sort() : [];
}

/** The status in the weekly health summary of `date`, or the last one written. */
function health(expectation: Of<"health">, run: RunRecordings): Verdict {
  const { strategy, status, date, window } = expectation;
  const dir = join(run.outDir, "artifacts", "weekly_health");
  const file = date === undefined ? jsonFiles(dir).at(-1) : jsonFiles(dir).find((name) => name === `${date}.json`);
  const expected = `${strategy} ${window}-window health ${status} in the weekly summary${date ? ` of ${date}` : ""}`;
  if (file === undefined) return { ok: false, expected, actual: `no weekly_health artifact${date ? ` for ${date}` : ""}`, date };
  const summary = JSON.parse(readFileSync(join(dir, file), "utf8")) as { strategies: { strategy: string; short: { status: string }; long: { status: string } }[] };
  const entry = summary.strategies.find((candidate) => candidate.strategy === strategy);
  const actual = entry ? `${entry[window].status} (${file})` : `no strategy ${strategy} in ${file}`;
  return { ok: entry?.[window].status === status, expected, actual, date: file.slice(0, 10) };
}

/** Orders that reached the broker: a dry run's kept-back orders do not count. */
function orders(expectation: Of<"orders">, run: RunRecordings): Verdict {
  const sent = run.orders.filter((order) => order.reason !== DRY_RUN_REASON && (expectation.side === undefined || order.side === expectation.side));
  return {
    ok: countMatches(expectation.count, sent.length),
    expected: `${describeCount(expectation.count)} ${expectation.side ?? ""}${expectation.side ? " " : ""}order(s) at the broker`,
    actual: `${sent.length}${listDates(sent.map((order) => order.session))}`,
    date: sent[0]?.session,
  };
}

function emails(expectation: Of<"emails">, run: RunRecordings): Verdict {
  const dir = join(run.outDir, "outbox");
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".eml")).sort() : [];
  const matching = files.filter((file) => subjectOf(readFileSync(join(dir, file), "utf8")).includes(expectation.subjectContains));
  return {
    ok: countMatches(expectation.count, matching.length),
    expected: `${describeCount(expectation.count)} email(s) whose subject contains ${JSON.stringify(expectation.subjectContains)}`,
    actual: `${matching.length} of ${files.length}${matching.length ? ` (${matching.slice(0, 3).join(", ")})` : ""}`,
    date: matching[0]?.slice(0, 10),
  };
}

/** The unfolded Subject header of an RFC 5322 message. */
export function subjectOf(raw: string): string {
  const headers = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  return /^subject:[ \t]*(.*)$/im.exec(headers)?.[1] ?? "";
}

function equity(expectation: Of<"equity">, run: RunRecordings): Verdict {
  const { date, min, max } = expectation;
  const row = run.equity.find((candidate) => candidate.session === date);
  const bounds = [min !== undefined && `>= ${min}`, max !== undefined && `<= ${max}`].filter(Boolean).join(" and ");
  const expected = `equity ${bounds} on ${date}`;
  if (!row) return { ok: false, expected, actual: `no session recorded on ${date}`, date };
  const ok = (min === undefined || row.equity >= min) && (max === undefined || row.equity <= max);
  return { ok, expected, actual: row.equity.toFixed(2), date };
}

/** The equity curve's largest peak-to-trough fall, as summary.json reports it. */
function drawdown(expectation: Of<"max_drawdown">, run: RunRecordings): Verdict {
  const { below, above } = expectation;
  const worst = peakToTrough(run.equity.map((row) => ({ date: row.session, equity: row.equity })));
  const ok = (below === undefined || worst.drawdown < below) && (above === undefined || worst.drawdown > above);
  const bounds = [below !== undefined && `below ${below}`, above !== undefined && `above ${above}`].filter(Boolean).join(" and ");
  return {
    ok,
    expected: `max drawdown ${bounds}`,
    actual: `${worst.drawdown.toFixed(6)} (peak ${worst.peak}, trough ${worst.trough})`,
    date: worst.trough ?? undefined,
  };
}

/** Events from `sessions` sessions before `date` to as many after, one line each, for a failure's context. */
export function eventTrail(run: RunRecordings, date: SessionDate, sessions = 3): string[] {
  const axis = run.equity.map((row) => row.session);
  const at = axis.findIndex((session) => session >= date);
  const center = at < 0 ? axis.length - 1 : at;
  const range = { from: axis[Math.max(0, center - sessions)], to: axis[Math.min(axis.length - 1, center + sessions)] };
  if (range.from === undefined) return [];
  return run.events
    .filter((event) => inRange(event.date, range))
    .map((event) => `${event.date} ${event.type} ${event.reason}${event.strategy ? ` ${event.strategy}` : ""}${event.symbol ? ` ${event.symbol}` : ""}: ${event.detail}`);
}
