import { marketData, pagination } from "@alpacahq/alpaca-trade-api/rest";
import { newYorkTimeOn, sessionDateOf, type SessionDate } from "../../clock/index.js";
import type { BarSource, DailyBar } from "../../data/index.js";
import { marketDataConfiguration, type AlpacaConnection } from "./connection.js";
import { callWithRetries, retryPolicy, type AlpacaCallOptions, type RetryPolicy } from "./calls.js";

/** Alpaca's largest bars page. */
const BARS_PAGE_LIMIT = 10_000;
const LAST_MINUTE_OF_DAY = 24 * 60 - 1;

/** A bar as the market-data API sends it: numbers, `t` at midnight New York time for a daily bar. */
interface RawBar {
  t: string;
  o: number | null;
  h: number | null;
  l: number | null;
  c: number | null;
  v: number | null;
}

interface SymbolBar {
  symbol: string;
  bar: RawBar;
}

/**
 * Daily bars from Alpaca's market-data API v2 (`/v2/stocks/bars`, timeframe 1Day, adjusted for splits and
 * dividends, the configured feed), following `next_page_token` to the end; each bar dated by its New York day.
 */
export class AlpacaBarSource implements BarSource {
  private readonly stocks: marketData.StockApi;
  private readonly feed: marketData.StockHistoricalFeed;
  private readonly policy: RetryPolicy;

  constructor(connection: AlpacaConnection, options: AlpacaCallOptions = {}) {
    this.stocks = new marketData.StockApi(marketDataConfiguration(connection));
    this.feed = connection.feed as marketData.StockHistoricalFeed;
    this.policy = retryPolicy(connection, options);
  }

  async dailyBars(symbols: readonly string[], from: SessionDate, to: SessionDate): Promise<DailyBar[]> {
    if (symbols.length === 0) return [];
    const result: DailyBar[] = [];
    for await (const { symbol, bar } of pagination.paginate((pageToken) => this.page(symbols, from, to, pageToken))) {
      const daily = dailyBar(symbol, bar);
      if (daily.date >= from && daily.date <= to) result.push(daily);
    }
    return result;
  }

  private async page(symbols: readonly string[], from: SessionDate, to: SessionDate, pageToken: string | undefined): Promise<pagination.Page<SymbolBar>> {
    const request: marketData.StockBarsRequest = {
      symbols: symbols.join(","),
      timeframe: "1Day",
      start: new Date(newYorkTimeOn(from, 0)),
      end: new Date(newYorkTimeOn(to, LAST_MINUTE_OF_DAY)),
      limit: BARS_PAGE_LIMIT,
      adjustment: "all",
      feed: this.feed,
      sort: "asc",
      pageToken,
    };
    const response = await callWithRetries(this.policy, "read", () => this.stocks.stockBars(request));
    // The generated model leaves the bars as the JSON had them (`t` a string), whatever its declared type says.
    const bySymbol = (response.bars ?? {}) as unknown as Record<string, RawBar[]>;
    const items = Object.entries(bySymbol).flatMap(([symbol, bars]) => bars.map((bar) => ({ symbol, bar })));
    return { items, nextPageToken: response.nextPageToken };
  }
}

function dailyBar(symbol: string, bar: RawBar): DailyBar {
  return {
    symbol,
    date: sessionDateOf(Date.parse(bar.t)),
    open: numberOrNaN(bar.o),
    high: numberOrNaN(bar.h),
    low: numberOrNaN(bar.l),
    close: numberOrNaN(bar.c),
    volume: numberOrNaN(bar.v),
  };
}

/** A missing value stays missing (NaN) for the data-quality checks; it is not a zero. */
function numberOrNaN(value: number | null | undefined): number {
  return typeof value === "number" ? value : Number.NaN;
}
