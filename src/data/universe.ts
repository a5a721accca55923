import type { SessionDate } from "../clock/index.js";
import type { BarStore } from "./barStore.js";

/** One symbol's coverage of the session axis. */
export interface BarsSummary {
  readonly symbol: string;
  /** First and last session with a bar; empty strings when the symbol has none. */
  readonly first: SessionDate;
  readonly last: SessionDate;
  readonly bars: number;
  /** Sessions between `first` and `last` without a bar. */
  readonly missing: number;
}

/** Per-symbol coverage, for the CLI and the report. */
export function describeBars(store: BarStore): BarsSummary[] {
  return store.symbols.map((symbol) => {
    const { present } = store.series(symbol);
    const firstIndex = present.indexOf(1);
    if (firstIndex < 0) return { symbol, first: "", last: "", bars: 0, missing: 0 };
    const lastIndex = present.lastIndexOf(1);
    const bars = barsBefore(store, symbol, lastIndex);
    return {
      symbol,
      first: store.sessions[firstIndex],
      last: store.sessions[lastIndex],
      bars,
      missing: lastIndex - firstIndex + 1 - bars,
    };
  });
}

/** How many bars `symbol` has at session indices ≤ `index` (its history length at that session). */
export function barsBefore(store: BarStore, symbol: string, index: number): number {
  const { present } = store.series(symbol);
  const end = Math.min(index, present.length - 1);
  let count = 0;
  for (let i = 0; i <= end; i++) count += present[i];
  return count;
}
