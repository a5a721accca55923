import type { SessionDate } from "../clock/types.js";

/** One symbol's daily bar as a market-data source delivers it (prices adjusted for splits and dividends). */
export interface DailyBar {
  symbol: string;
  date: SessionDate;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Where the live driver's daily bars come from (Alpaca market data, or the sandbox that mimics it). */
export interface BarSource {
  /** Every daily bar of `symbols` dated `from`..`to` (inclusive), in any order; a symbol without bars is simply absent. */
  dailyBars(symbols: readonly string[], from: SessionDate, to: SessionDate): Promise<DailyBar[]>;
}

/** Where fetched bars are kept so that a rerun or a restart never fetches a session twice (the store). */
export interface BarCache {
  saveBars(bars: readonly DailyBar[]): void;
  loadBars(symbols: readonly string[], from: SessionDate, to: SessionDate): DailyBar[];
  lastBarDate(symbol: string): SessionDate | null;
}
