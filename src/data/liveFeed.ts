import type { SessionDate, TradingCalendar } from "../clock/types.js";
import { BarStore, type SymbolBars } from "./barStore.js";
import type { BarCache, BarSource, DailyBar } from "./feed.js";

/**
 * The live driver's bars: a window of `historySessions` exchange sessions ending at the session to decide,
 * fetched from a market-data source only past each symbol's newest cached bar, and built into the same
 * BarStore a replay reads, so data quality and strategies see fetched bars exactly as they see files.
 */
export class LiveBarFeed {
  constructor(
    private readonly source: BarSource,
    private readonly cache: BarCache,
    private readonly calendar: TradingCalendar,
    private readonly historySessions: number,
  ) {}

  /** Bars of `symbols` up to and including `session`, the last row of the returned store's axis. */
  async barsThrough(symbols: readonly string[], session: SessionDate): Promise<BarStore> {
    const axis = this.window(session);
    await this.fetchMissing(symbols, axis[0], session);
    return buildBarStore(axis, symbols, this.cache.loadBars(symbols, axis[0], session));
  }

  private window(session: SessionDate): SessionDate[] {
    const axis = [session];
    while (axis.length < this.historySessions) axis.unshift(this.calendar.previousSession(axis[0]));
    return axis;
  }

  /** One request per distinct start date; a symbol is fetched from the session after its newest cached bar. */
  private async fetchMissing(symbols: readonly string[], from: SessionDate, to: SessionDate): Promise<void> {
    const byStart = new Map<SessionDate, string[]>();
    for (const symbol of symbols) {
      const last = this.cache.lastBarDate(symbol);
      if (last !== null && last >= to) continue;
      const start = last !== null && last >= from ? this.calendar.nextSession(last) : from;
      byStart.set(start, [...(byStart.get(start) ?? []), symbol]);
    }
    for (const [start, group] of byStart) {
      const fetched = await this.source.dailyBars(group, start, to);
      this.cache.saveBars(fetched.filter((bar) => group.includes(bar.symbol) && bar.date >= start && bar.date <= to));
    }
  }
}

/** Lays cached bars onto the session axis; a session without a bar stays absent (`present` 0). */
export function buildBarStore(axis: readonly SessionDate[], symbols: readonly string[], bars: readonly DailyBar[]): BarStore {
  const index = new Map(axis.map((date, i) => [date, i]));
  const series = new Map<string, SymbolBars>(symbols.map((symbol) => [symbol, BarStore.emptySeries(symbol, axis.length)]));
  for (const bar of bars) {
    const row = index.get(bar.date);
    const target = series.get(bar.symbol);
    if (row === undefined || target === undefined) continue;
    target.open[row] = bar.open;
    target.high[row] = bar.high;
    target.low[row] = bar.low;
    target.close[row] = bar.close;
    target.volume[row] = bar.volume;
    target.present[row] = 1;
  }
  return new BarStore(axis, series.values());
}
