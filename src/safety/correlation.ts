import type { SymbolBars } from "../data/barStore.js";
import { isOutlierMove, isSoundBar } from "./barChecks.js";

/** The correlation rule's settings (CORRELATION_LOOKBACK, CORRELATION_THRESHOLD, CORRELATION_SIZING_PCT). */
export interface CorrelationConfig {
  /** Daily returns (good sessions) behind each correlation. */
  lookback: number;
  threshold: number;
  sizingPct: number;
  /** OUTLIER_MAX_MOVE: a bar data quality rejects as an outlier is not a good session. */
  outlierMaxMove: number;
}

/** A correlation of the entry's returns with one symbol already held or bought earlier this session. */
export interface PairCorrelation {
  symbol: string;
  /** NaN when it cannot be measured (too few good sessions, or a flat price). */
  correlation: number;
}

/** The rule's verdict on one entry: its multiplier and, when it binds, the pair that made it bind. */
export type CorrelationVerdict =
  | { applies: false; multiplier: 1; highest: PairCorrelation | null }
  | { applies: true; multiplier: number; highest: PairCorrelation };

/** A bar data quality accepts: present, finite, sane and not an outlier move. */
export function isGoodBar(bars: SymbolBars, index: number, outlierMaxMove: number): boolean {
  return isSoundBar(bars, index) && !isOutlierMove(bars, index, outlierMaxMove);
}

/**
 * Log returns of two symbols between consecutive sessions where both had a good bar, the newest
 * `lookback` of them up to `index`; null when there are fewer. Sessions where either bar was rejected
 * are skipped for both, so each pair of returns spans the same interval.
 */
export function pairedReturns(a: SymbolBars, b: SymbolBars, index: number, lookback: number, outlierMaxMove: number): [number[], number[]] | null {
  const good = (bars: SymbolBars) => (i: number) => isGoodBar(bars, i, outlierMaxMove);
  return pairedReturnsOf(a, b, index, lookback, good(a), good(b));
}

/** `pairedReturns` with each symbol's good-bar verdict given, so a caller can remember verdicts (see `BarVerdicts`). */
export function pairedReturnsOf(
  a: SymbolBars, b: SymbolBars, index: number, lookback: number, isGoodA: (i: number) => boolean, isGoodB: (i: number) => boolean,
): [number[], number[]] | null {
  const closesA: number[] = [];
  const closesB: number[] = [];
  for (let i = index; i >= 0 && closesA.length <= lookback; i--) {
    if (!isGoodA(i) || !isGoodB(i)) continue;
    closesA.push(a.close[i]);
    closesB.push(b.close[i]);
  }
  if (closesA.length <= lookback) return null;
  return [logReturns(closesA), logReturns(closesB)];
}

/**
 * A symbol's newest-first log returns over its `lookback + 1` closes up to `index`: what `pairedReturnsOf` gives
 * for it whenever every one of those bars is good in both symbols, so a caller can compute them once per symbol
 * rather than once per pair. Null when the window starts before the first bar.
 */
export function windowReturns(bars: SymbolBars, index: number, lookback: number): number[] | null {
  if (index - lookback < 0) return null;
  const closes: number[] = [];
  for (let i = index; i >= index - lookback; i--) closes.push(bars.close[i]);
  return logReturns(closes);
}

/** Newest-first closes to newest-first returns (a plain loop: this runs for every pair an entry is measured against). */
function logReturns(closes: readonly number[]): number[] {
  const returns = new Array<number>(closes.length - 1);
  for (let k = 0; k < returns.length; k++) returns[k] = Math.log(closes[k] / closes[k + 1]);
  return returns;
}

/** Pearson correlation in [-1, 1]; NaN for fewer than two points or a series without variance. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  const meanX = mean(xs, n);
  const meanY = mean(ys, n);
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  // Equivalent mutant: with either variance 0 the covariance is 0 too, and 0 / 0 is NaN, so `&&` returns the same.
  // Stryker disable next-line LogicalOperator
  if (varianceX === 0 || varianceY === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
}

function mean(values: readonly number[], n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return sum / n;
}

/** Correlation of two symbols' good-session returns; NaN when it cannot be measured. */
export function symbolCorrelation(a: SymbolBars, b: SymbolBars, index: number, config: Pick<CorrelationConfig, "lookback" | "outlierMaxMove">): number {
  const returns = pairedReturns(a, b, index, config.lookback, config.outlierMaxMove);
  return returns === null ? Number.NaN : pearson(returns[0], returns[1]);
}

/** `symbolCorrelation` with each symbol's good-bar verdict given (see `pairedReturnsOf`). */
export function symbolCorrelationOf(
  a: SymbolBars, b: SymbolBars, index: number, lookback: number, isGoodA: (i: number) => boolean, isGoodB: (i: number) => boolean,
): number {
  const returns = pairedReturnsOf(a, b, index, lookback, isGoodA, isGoodB);
  return returns === null ? Number.NaN : pearson(returns[0], returns[1]);
}

/**
 * The entry's multiplier from its highest measurable correlation with the symbols held or bought earlier:
 * CORRELATION_SIZING_PCT at or above the threshold, 1 otherwise. Ties go to the first symbol in code-point
 * order, so the verdict does not depend on the order the pairs (or the data file's symbols) come in.
 */
export function correlationSizing(pairs: readonly PairCorrelation[], config: Pick<CorrelationConfig, "threshold" | "sizingPct">): CorrelationVerdict {
  const highest = highestCorrelation(pairs);
  if (highest === null || highest.correlation < config.threshold || config.sizingPct >= 1) {
    return { applies: false, multiplier: 1, highest };
  }
  return { applies: true, multiplier: config.sizingPct, highest };
}

function highestCorrelation(pairs: readonly PairCorrelation[]): PairCorrelation | null {
  let best: PairCorrelation | null = null;
  for (const pair of pairs) {
    if (Number.isNaN(pair.correlation)) continue;
    if (best === null || pair.correlation > best.correlation || (pair.correlation === best.correlation && pair.symbol < best.symbol)) best = pair;
  }
  return best;
}
