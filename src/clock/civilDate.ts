/** Whole days since 1970-01-01 (UTC civil calendar); the unit all date arithmetic here works in. */
export type DayNumber = number;

export const MS_PER_DAY = 86_400_000;
export const SUNDAY = 0;
export const MONDAY = 1;
export const TUESDAY = 2;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a civil date; `month` is 1-based. */
export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** `YYYY-MM-DD` for a day number. */
export function formatDay(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day number of a `YYYY-MM-DD` string, or undefined when it is not a real calendar date. */
export function parseDay(value: string): DayNumber | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const day = dayNumberOf(Number(match[1]), Number(match[2]), Number(match[3]));
  // Date.UTC silently rolls 02-30 into March; the round trip rejects such dates.
  return formatDay(day) === value ? day : undefined;
}

/** The calendar year of a day number. */
export function yearOf(day: DayNumber): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: DayNumber): number {
  // 1970-01-01 was a Thursday.
  return (((day + THURSDAY) % 7) + 7) % 7;
}

/** The Monday starting the ISO week that contains `day`. */
export function isoWeekStart(day: DayNumber): DayNumber {
  return day - ((weekdayOf(day) + 6) % 7);
}

/** The `n`-th (1-based) given weekday of a month. */
export function nthWeekdayOf(year: number, month: number, weekday: number, n: number): DayNumber {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

/** The last given weekday of a month. */
export function lastWeekdayOf(year: number, month: number, weekday: number): DayNumber {
  const last = dayNumberOf(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}
