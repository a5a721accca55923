/** Most points a line chart draws; longer series are thinned to about this many. */
export const MAX_CHART_POINTS = 800;

/** A run of consecutive indices [from, to] sharing one value. */
export interface Period<T> {
  value: T;
  from: number;
  to: number;
}

/**
 * Indices worth drawing of a series of `length` points: every k-th (k chosen so about `maxPoints`
 * remain), the first and last, and every index in `keep` (events, state changes) — sorted, unique.
 */
export function thinIndices(length: number, keep: Iterable<number> = [], maxPoints = MAX_CHART_POINTS): number[] {
  if (length <= 0) return [];
  const step = Math.max(1, Math.ceil(length / maxPoints));
  const chosen = new Set<number>([0, length - 1]);
  for (let i = 0; i < length; i += step) chosen.add(i);
  for (const index of keep) if (index >= 0 && index < length) chosen.add(index);
  return [...chosen].sort((a, b) => a - b);
}

/** Splits a series into runs of equal consecutive values. */
export function periodsOf<T>(values: readonly T[]): Period<T>[] {
  const periods: Period<T>[] = [];
  values.forEach((value, i) => {
    const last = periods.at(-1);
    if (last && last.value === value) last.to = i;
    else periods.push({ value, from: i, to: i });
  });
  return periods;
}

/** Indices where the value differs from the one before, and the index before each change, so steps stay sharp. */
export function changeIndices<T>(values: readonly T[]): number[] {
  const indices: number[] = [];
  for (let i = 1; i < values.length; i++) {
    if (values[i] !== values[i - 1]) indices.push(i - 1, i);
  }
  return indices;
}

/** Position of each date on a sorted session axis; a date between sessions maps to the next session. */
export function sessionIndexer(dates: readonly string[]): (date: string) => number {
  const exact = new Map(dates.map((date, i) => [date, i]));
  return (date) => exact.get(date) ?? lowerBound(dates, date);
}

function lowerBound(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (dates[mid] < date) low = mid + 1;
    else high = mid;
  }
  return Math.min(low, Math.max(0, dates.length - 1));
}

/** Groups ascending indices into runs of consecutive ones, e.g. [1,2,3,7,8] → [1..3], [7..8]. */
export function consecutiveRuns(indices: readonly number[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (const index of indices) {
    const last = runs.at(-1);
    if (last && index === last.to + 1) last.to = index;
    else if (!last || index > last.to) runs.push({ from: index, to: index });
  }
  return runs;
}
