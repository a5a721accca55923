import type { SymbolBars } from "../data/barStore.js";
import type { IndicatorSpec } from "./types.js";

function isPeriod(period: number): boolean {
  return Number.isInteger(period) && period >= 1;
}

/**
 * Index of the oldest of the last `count` present bars at or before `index`, or -1 when fewer
 * exist or any of their closes is non-finite. Walks the typed arrays so the hot path allocates nothing.
 */
function finiteWindowStart(bars: SymbolBars, index: number, count: number): number {
  const { close, present } = bars;
  let seen = 0;
  for (let i = Math.min(index, close.length - 1); i >= 0; i--) {
    if (present[i] !== 1) continue;
    if (!Number.isFinite(close[i])) return -1;
    seen += 1;
    if (seen === count) return i;
  }
  return -1;
}

/** Mean of the last `period` present closes up to `index`; NaN with fewer present bars or a non-finite close among them. */
export function sma(bars: SymbolBars, index: number, period: number): number {
  if (!isPeriod(period)) return Number.NaN;
  const start = finiteWindowStart(bars, index, period);
  if (start < 0) return Number.NaN;
  const { close, present } = bars;
  let sum = 0;
  for (let i = start; i <= index; i++) {
    if (present[i] === 1) sum += close[i];
  }
  return sum / period;
}

/**
 * Latest present close over the close `period` present bars earlier, minus 1. Needs `period + 1` present
 * bars; NaN with fewer, a non-finite close among them, or a zero base close.
 */
export function momentum(bars: SymbolBars, index: number, period: number): number {
  if (!isPeriod(period)) return Number.NaN;
  const start = finiteWindowStart(bars, index, period + 1);
  if (start < 0) return Number.NaN;
  const latest = finiteWindowStart(bars, index, 1);
  const value = bars.close[latest] / bars.close[start] - 1;
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The value of `spec` over `bars` up to session `index`; NaN when it cannot be computed. */
export function computeIndicator(bars: SymbolBars, index: number, spec: IndicatorSpec): number {
  switch (spec.kind) {
    case "sma":
      return sma(bars, index, spec.period);
    case "momentum":
      return momentum(bars, index, spec.period);
    default: {
      const unknownKind: never = spec.kind;
      throw new Error(`unknown indicator kind ${String(unknownKind)}`);
    }
  }
}

/** The longest period among `specs`, 0 when there are none. */
export function lookbackOf(specs: readonly IndicatorSpec[]): number {
  let longest = 0;
  for (const spec of specs) longest = Math.max(longest, spec.period);
  return longest;
}
