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

const ACCEPTED = 1;
const REJECTED = 2;

/**
 * One symbol's bar verdicts and running counts, kept across sessions so that a session's data-quality checks cost
 * O(1) per symbol instead of a walk over the look-back. Every bar before the session asked about is treated as
 * final and judged once: a replay injects faults only into its current session and later ones, and a live bot's
 * past bars never change. The answers are those of the plain functions above (`isAcceptedBar`, `acceptedCount`,
 * `lastGoodClose`).
 */
export class BarVerdicts {
  private readonly verdicts: Uint8Array;
  /** Over bars [0, i): accepted ones, present ones, and present ones with a non-finite field. */
  private readonly acceptedBefore: Int32Array;
  private readonly presentBefore: Int32Array;
  private readonly nonFiniteBefore: Int32Array;
  /** The latest accepted bar before i, or -1. */
  private readonly lastAcceptedBefore: Int32Array;
  /** The k-th accepted bar (from 0), over the judged bars. */
  private readonly acceptedAt: Int32Array;
  /** Bars [0, final) are judged and counted. */
  private final = 0;

  constructor(
    readonly bars: SymbolBars,
    readonly outlierMaxMove: number,
  ) {
    const length = bars.close.length;
    this.verdicts = new Uint8Array(length);
    this.acceptedBefore = new Int32Array(length + 1);
    this.presentBefore = new Int32Array(length + 1);
    this.nonFiniteBefore = new Int32Array(length + 1);
    this.lastAcceptedBefore = new Int32Array(length + 1).fill(-1);
    this.acceptedAt = new Int32Array(length);
  }

  /** The verdict on bar `i`, remembered once `i` lies before a session asked about. */
  isAccepted(i: number): boolean {
    return i < this.final ? this.verdicts[i] === ACCEPTED : isAcceptedBar(this.bars, i, this.outlierMaxMove);
  }

  /** Accepted bars at or before `index`, at most `cap`. */
  acceptedCount(index: number, cap: number): number {
    this.judgeBefore(index);
    return Math.min(cap, this.acceptedBefore[index] + (this.isAccepted(index) ? 1 : 0));
  }

  /** Close of the latest accepted bar at or before `index`; NaN if none. */
  lastGoodClose(index: number): number {
    this.judgeBefore(index);
    const latest = this.isAccepted(index) ? index : this.lastAcceptedBefore[index];
    return latest < 0 ? Number.NaN : this.bars.close[latest];
  }

  /** Index of the `n`-th accepted bar counting back from `index` (n = 1 is the latest), or -1 when fewer exist. */
  acceptedBack(index: number, n: number): number {
    this.judgeBefore(index);
    if (!Number.isInteger(n) || n < 1) return -1;
    let left = n;
    if (this.isAccepted(index)) {
      if (left === 1) return index;
      left -= 1;
    }
    const before = this.acceptedBefore[index];
    return left <= before ? this.acceptedAt[before - left] : -1;
  }

  /** Sessions in a row, ending at `index`, without an accepted bar, counted up to `cap`. */
  sessionsWithoutAccepted(index: number, cap: number): number {
    this.judgeBefore(index);
    if (cap <= 0 || this.isAccepted(index)) return 0;
    return Math.min(cap, index - this.lastAcceptedBefore[index]);
  }

  /** Share of the present bars in the `window` sessions ending at `index` with a non-finite field (0 when none is present). */
  nonFiniteShare(index: number, window: number): number {
    this.judgeBefore(index);
    const from = Math.max(0, index - window + 1);
    const currentPresent = this.bars.present[index] === 1 ? 1 : 0;
    const currentBad = currentPresent === 1 && !isFiniteBar(this.bars, index) ? 1 : 0;
    const present = this.presentBefore[index] - this.presentBefore[from] + currentPresent;
    const bad = this.nonFiniteBefore[index] - this.nonFiniteBefore[from] + currentBad;
    return present === 0 ? 0 : bad / present;
  }

  private judgeBefore(index: number): void {
    for (let i = this.final; i < index; i++) {
      const accepted = isAcceptedBar(this.bars, i, this.outlierMaxMove);
      const present = this.bars.present[i] === 1;
      this.verdicts[i] = accepted ? ACCEPTED : REJECTED;
      if (accepted) this.acceptedAt[this.acceptedBefore[i]] = i;
      this.acceptedBefore[i + 1] = this.acceptedBefore[i] + (accepted ? 1 : 0);
      this.presentBefore[i + 1] = this.presentBefore[i] + (present ? 1 : 0);
      this.nonFiniteBefore[i + 1] = this.nonFiniteBefore[i] + (present && !isFiniteBar(this.bars, i) ? 1 : 0);
      this.lastAcceptedBefore[i + 1] = accepted ? i : this.lastAcceptedBefore[i];
    }
    this.final = Math.max(this.final, index);
  }
}
