import { BarStore } from "../../src/data/barStore.js";
import type { StrategyContext } from "../../src/strategies/index.js";
import { acceptedBars } from "../../src/safety/index.js";
import { computeIndicator } from "../../src/strategies/index.js";

/** The default OUTLIER_MAX_MOVE, so fixtures judge bars as the engine does. */
export const OUTLIER_MAX_MOVE = 0.5;

/** One close per session; `null` means no bar arrived, `NaN` a bar with a broken close. */
export type Closes = readonly (number | null)[];

/** Consecutive calendar dates from 2024-01-01, one per session. */
export function sessionDates(length: number): string[] {
  return Array.from({ length }, (_, index) => new Date(Date.UTC(2024, 0, 1 + index)).toISOString().slice(0, 10));
}

/** A BarStore whose bars all share one session axis; every series must have the same length. */
export function barStore(closesBySymbol: Record<string, Closes>): BarStore {
  const entries = Object.entries(closesBySymbol);
  const length = entries[0][1].length;
  const series = entries.map(([symbol, closes]) => {
    const bars = BarStore.emptySeries(symbol, length);
    closes.forEach((close, index) => {
      if (close === null) return;
      bars.open[index] = close;
      bars.high[index] = close;
      bars.low[index] = close;
      bars.close[index] = close;
      bars.volume[index] = 1000;
      bars.present[index] = 1;
    });
    return bars;
  });
  return new BarStore(sessionDates(length), series);
}

/** A plain stand-in for the engine's context: indicators over the bars data quality accepts. */
export function contextAt(
  bars: BarStore,
  sessionIndex: number,
  options: { universe?: readonly string[]; positions?: Record<string, number> } = {},
): StrategyContext {
  return {
    date: bars.sessions[sessionIndex],
    sessionIndex,
    universe: options.universe ?? bars.symbols,
    positionQty: (symbol) => options.positions?.[symbol] ?? 0,
    price: (symbol) => bars.series(symbol).close[sessionIndex],
    indicator: (symbol, spec) => computeIndicator(bars.series(symbol), sessionIndex, spec, acceptedBars(bars.series(symbol), OUTLIER_MAX_MOVE)),
  };
}
