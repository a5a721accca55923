import { newYorkTimeOn, type SessionDate } from "../clock/index.js";
import type { BarStore } from "../data/index.js";
import { HttpError } from "./http.js";
import { limitParam, optionalTime } from "./requests.js";

/** Alpaca's default and largest `limit` of a bars page. */
const DEFAULT_LIMIT = 1000;
export const MAX_BARS_LIMIT = 10_000;
const DAILY_TIMEFRAMES = new Set(["1Day", "1D", "1day"]);
const FEEDS = new Set(["iex", "sip", "otc", "boats"]);
const ADJUSTMENTS = new Set(["raw", "split", "dividend", "all"]);
const LAST_MINUTE_OF_DAY = 24 * 60 - 1;

/** Where a page starts: after this symbol's bar of this date. */
type PageKey = readonly [symbol: string, date: SessionDate];

interface BarsQuery {
  symbols: string[];
  start: number;
  end: number;
  pageSize: number;
  after: PageKey | null;
}

/**
 * One page of Alpaca's `GET /v2/stocks/bars` (daily bars only): bars grouped by symbol, symbols in
 * alphabetical order, dates ascending, `t` at midnight New York time as Alpaca stamps daily bars.
 * Nothing dated after `lastSession` is served, so a client never sees a bar the venue has not closed.
 */
export function barsPage(params: URLSearchParams, store: BarStore, lastSession: SessionDate | null, maxPageSize: number): Record<string, unknown> {
  const query = parseBarsQuery(params, maxPageSize);
  const bars: Record<string, unknown[]> = {};
  let served = 0;
  let last: PageKey | null = null;
  for (const symbol of query.symbols) {
    if (!store.has(symbol)) continue;
    for (const index of sessionIndexes(store, symbol, lastSession)) {
      const date = store.sessions[index];
      const time = newYorkTimeOn(date, 0);
      if (time < query.start || time > query.end || !isAfter([symbol, date], query.after)) continue;
      if (served === query.pageSize) return { bars, next_page_token: encodeToken(last as PageKey), currency: "USD" };
      (bars[symbol] ??= []).push(barJson(store, symbol, index, time));
      served += 1;
      last = [symbol, date];
    }
  }
  return { bars, next_page_token: null, currency: "USD" };
}

function parseBarsQuery(params: URLSearchParams, maxPageSize: number): BarsQuery {
  const symbols = (params.get("symbols") ?? "").split(",").map((symbol) => symbol.trim()).filter(Boolean);
  if (symbols.length === 0) throw new HttpError(400, "missing symbols");
  checkChoice(params.get("timeframe"), "timeframe", DAILY_TIMEFRAMES, true);
  checkChoice(params.get("feed"), "feed", FEEDS, false);
  checkChoice(params.get("adjustment"), "adjustment", ADJUSTMENTS, false);
  if ((params.get("sort") ?? "asc") !== "asc") throw new HttpError(400, "the sandbox serves sort=asc only");
  const token = params.get("page_token");
  return {
    symbols: [...new Set(symbols)].sort(),
    start: bound(params.get("start"), "start", 0) ?? -Infinity,
    end: bound(params.get("end"), "end", LAST_MINUTE_OF_DAY) ?? Infinity,
    pageSize: Math.min(limitParam(params.get("limit"), DEFAULT_LIMIT, MAX_BARS_LIMIT), maxPageSize),
    after: token ? decodeToken(token) : null,
  };
}

/** A `start`/`end` parameter: RFC 3339, or a bare date meaning that New York day's first or last minute. */
function bound(raw: string | null, name: string, minuteOfDay: number): number | undefined {
  if (raw !== null && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return newYorkTimeOn(raw, minuteOfDay);
  return optionalTime(raw, name);
}

function* sessionIndexes(store: BarStore, symbol: string, lastSession: SessionDate | null): Generator<number> {
  const { present } = store.series(symbol);
  for (let index = 0; index < store.sessions.length; index++) {
    if (lastSession === null || store.sessions[index] > lastSession) return;
    if (present[index] === 1) yield index;
  }
}

function barJson(store: BarStore, symbol: string, index: number, time: number): Record<string, unknown> {
  const bars = store.series(symbol);
  return {
    t: new Date(time).toISOString(),
    o: finiteOrNull(bars.open[index]),
    h: finiteOrNull(bars.high[index]),
    l: finiteOrNull(bars.low[index]),
    c: finiteOrNull(bars.close[index]),
    v: finiteOrNull(bars.volume[index]),
  };
}

/** Bad values in the data stay bad (null) for the client's data-quality checks; JSON has no NaN. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function isAfter(key: PageKey, after: PageKey | null): boolean {
  if (after === null) return true;
  return key[0] > after[0] || (key[0] === after[0] && key[1] > after[1]);
}

function encodeToken(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeToken(token: string): PageKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === "string")) return [key[0], key[1]];
  } catch {
    // falls through to the error below
  }
  throw new HttpError(400, "invalid page_token");
}

function checkChoice(value: string | null, name: string, allowed: ReadonlySet<string>, required: boolean): void {
  if (value === null && !required) return;
  if (value === null || !allowed.has(value)) {
    throw new HttpError(400, `invalid ${name}: ${JSON.stringify(value)} (the sandbox takes ${[...allowed].join(", ")})`);
  }
}
