import type { SymbolBars } from "../data/barStore.js";
import type { IndicatorSpec } from "./types.js";

/**
 * True for a bar data quality accepted; indicators see only those bars. `back`, when given, answers at once
 * which bar is the n-th accepted one counting back from an index (as the engine's remembered verdicts can),
 * so an indicator need not walk its look-back.
 */
export type IsAccepted = ((index: number) => boolean) & { back?: (index: number, n: number) => number };

function isPeriod(period: number): boolean {
  return Number.isInteger(period) && period >= 1;
}

/**
 * Index of the `n`-th accepted bar counting back from `index` (n = 1 is the latest), or -1 when fewer exist.
 * Walks the typed arrays so the hot path allocates nothing.
 */
function acceptedBack(bars: SymbolBars, index: number, n: number, accepted: IsAccepted): number {
  const from = Math.min(index, bars.close.length - 1);
  if (from < 0) return -1;
  if (accepted.back) return accepted.back(from, n);
  let seen = 0;
  for (let i = from; i >= 0; i--) {
    if (!accepted(i)) continue;
    seen += 1;
    if (seen === n) return i;
  }
  return -1;
}

/** Mean of the last `period` accepted closes up to `index`; NaN with fewer accepted bars. */
export function sma(bars: SymbolBars, index: number, period: number, accepted: IsAccepted): number {
  if (!isPeriod(period)) return Number.NaN;
  let sum = 0;
  let seen = 0;
  for (let i = Math.min(index, bars.close.length - 1); i >= 0 && seen < period; i--) {
    if (!accepted(i)) continue;
    sum += bars.close[i];
    seen += 1;
  }
  return seen === period ? sum / period : Number.NaN;
}

/**
 * Latest accepted close over the accepted close `period` accepted bars earlier, minus 1. Needs `period + 1`
 * accepted bars; NaN with fewer or a zero base close.
 */
export function momentum(bars: SymbolBars, index: number, period: number, accepted: IsAccepted): number {
  if (!isPeriod(period)) return Number.NaN;
  const start = acceptedBack(bars, index, period + 1, accepted);
  if (start < 0) return Number.NaN;
  const latest = acceptedBack(bars, index, 1, accepted);
  const value = bars.close[latest] / bars.close[start] - 1;
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The value of `spec` over the accepted bars up to session `index`; NaN when it cannot be computed. */
export function computeIndicator(bars: SymbolBars, index: number, spec: IndicatorSpec, accepted: IsAccepted): number {
  switch (spec.kind) {
    case "sma":
      return sma(bars, index, spec.period, accepted);
    case "momentum":
      return momentum(bars, index, spec.period, accepted);
    default: {
      const unknownKind: never = spec.kind;
      throw new Error(`unknown indicator kind ${String(unknownKind)}`);
    }
  }
}

/** Accepted bars `spec` needs: its period, plus the base bar for momentum. */
export function barsNeeded(spec: IndicatorSpec): number {
  return spec.kind === "momentum" ? spec.period + 1 : spec.period;
}

/** The most accepted bars any of `specs` needs, 0 when there are none. */
export function barsNeededByAll(specs: readonly IndicatorSpec[]): number {
  let most = 0;
  for (const spec of specs) most = Math.max(most, barsNeeded(spec));
  return most;
}

/** The longest period among `specs`, 0 when there are none. */
export function lookbackOf(specs: readonly IndicatorSpec[]): number {
  let longest = 0;
  for (const spec of specs) longest = Math.max(longest, spec.period);
  return longest;
}
