import {
  MS_PER_DAY,
  SUNDAY,
  lastWeekdayOf,
  nthWeekdayOf,
  yearOf,
  type DayNumber,
} from "./civilDate.js";

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const STANDARD_OFFSET_HOURS = 5;
const FIRST_RULE_YEAR = 1987;

/** The UTC instants daylight time starts and ends in New York in `year`. */
function daylightBounds(year: number): { start: number; end: number } {
  if (year < FIRST_RULE_YEAR) {
    throw new Error(`New York time: no daylight-saving rule for year ${year} (supported from ${FIRST_RULE_YEAR})`);
  }
  // 1987–2006: first Sunday of April to last Sunday of October; 2007+: second Sunday of March to first Sunday of November.
  const [startDay, endDay] =
    year >= 2007
      ? [nthWeekdayOf(year, 3, SUNDAY, 2), nthWeekdayOf(year, 11, SUNDAY, 1)]
      : [nthWeekdayOf(year, 4, SUNDAY, 1), lastWeekdayOf(year, 10, SUNDAY)];
  // Both switches happen at 02:00 local: 07:00Z while on standard time, 06:00Z while on daylight time.
  return { start: startDay * MS_PER_DAY + 7 * MS_PER_HOUR, end: endDay * MS_PER_DAY + 6 * MS_PER_HOUR };
}

function isDaylightTime(utcMs: number): boolean {
  const { start, end } = daylightBounds(yearOf(Math.floor(utcMs / MS_PER_DAY)));
  return utcMs >= start && utcMs < end;
}

/** New York's offset from UTC at an instant, in ms (−5 h standard, −4 h daylight). */
export function newYorkOffsetMs(utcMs: number): number {
  return (isDaylightTime(utcMs) ? 1 - STANDARD_OFFSET_HOURS : -STANDARD_OFFSET_HOURS) * MS_PER_HOUR;
}

/** Epoch ms of a New York wall-clock time, given as minutes after midnight on `day`. */
export function newYorkWallTimeToEpoch(day: DayNumber, minutesAfterMidnight: number): number {
  const asStandardTime = day * MS_PER_DAY + minutesAfterMidnight * MS_PER_MINUTE + STANDARD_OFFSET_HOURS * MS_PER_HOUR;
  return isDaylightTime(asStandardTime) ? asStandardTime - MS_PER_HOUR : asStandardTime;
}

/** The New York local day of an instant. */
export function newYorkDayOf(utcMs: number): DayNumber {
  return Math.floor((utcMs + newYorkOffsetMs(utcMs)) / MS_PER_DAY);
}
