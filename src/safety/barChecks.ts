import type { SymbolBars } from "../data/barStore.js";

/**
 * The data-quality verdict on one bar: present, finite, sane and not an outlier move. It reads only this bar
 * and earlier ones, so it is the same at every later session and after a restart; indicators, marks and
 * history counts see only accepted bars.
 */
export function isAcceptedBar(bars: SymbolBars, index: number, outlierMaxMove: number): boolean {
  return isSoundBar(bars, index) && !isOutlierMove(bars, index, outlierMaxMove);
}

/** The verdict of every bar of `bars` as a predicate, the shape indicators take. */
export function acceptedBars(bars: SymbolBars, outlierMaxMove: number): (index: number) => boolean {
  return (index) => isAcceptedBar(bars, index, outlierMaxMove);
}

/** Accepted bars at or before `index`, counted only up to `cap` so a long history costs nothing extra. */
export function acceptedCount(bars: SymbolBars, index: number, outlierMaxMove: number, cap: number): number {
  let count = 0;
  for (let i = index; i >= 0 && count < cap; i--) {
    if (isAcceptedBar(bars, i, outlierMaxMove)) count++;
  }
  return count;
}

/** Close of the latest accepted bar at or before `index`; NaN if none. */
export function lastGoodClose(bars: SymbolBars, index: number, outlierMaxMove: number): number {
  for (let i = index; i >= 0; i--) {
    if (isAcceptedBar(bars, i, outlierMaxMove)) return bars.close[i];
  }
  return Number.NaN;
}

/** |close / previous good close − 1| above the limit. */
export function isOutlierMove(bars: SymbolBars, index: number, maxMove: number): boolean {
  return Math.abs(bars.close[index] / previousGoodClose(bars, index, maxMove) - 1) > maxMove;
}

/**
 * The reference for a bar's move: the close of the last earlier sound bar that did not itself jump more
 * than `maxMove` from the sound bar before it. Looking one level back keeps a single bad tick from
 * becoming the reference (so it blocks only its own session), while a lasting level shift is accepted
 * after two sessions. NaN (never an outlier) when there is none.
 */
export function previousGoodClose(bars: SymbolBars, index: number, maxMove: number): number {
  for (let i = index - 1; i >= 0; i--) {
    if (isSoundBar(bars, i) && !(Math.abs(bars.close[i] / previousSoundClose(bars, i) - 1) > maxMove)) return bars.close[i];
  }
  return Number.NaN;
}

/** Close of the last earlier bar that is present, finite and sane; NaN when none. */
function previousSoundClose(bars: SymbolBars, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    if (isSoundBar(bars, i)) return bars.close[i];
  }
  return Number.NaN;
}

/** Present, finite and sane: a bar whose close can serve as a reference price. */
export function isSoundBar(bars: SymbolBars, i: number): boolean {
  return bars.present[i] === 1 && isFiniteBar(bars, i) && isSaneBar(bars, i);
}

/** All five fields finite. */
export function isFiniteBar(bars: SymbolBars, i: number): boolean {
  return (
    Number.isFinite(bars.open[i]) &&
    Number.isFinite(bars.high[i]) &&
    Number.isFinite(bars.low[i]) &&
    Number.isFinite(bars.close[i]) &&
    Number.isFinite(bars.volume[i])
  );
}

/** Positive prices with open and close inside the bar's own range. */
export function isSaneBar(bars: SymbolBars, i: number): boolean {
  const high = bars.high[i];
  const low = bars.low[i];
  return low > 0 && high >= low && within(bars.open[i], low, high) && within(bars.close[i], low, high);
}

function within(value: number, low: number, high: number): boolean {
  return value >= low && value <= high;
}
