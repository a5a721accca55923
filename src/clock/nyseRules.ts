import {
  FRIDAY,
  MONDAY,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  TUESDAY,
  dayNumberOf,
  lastWeekdayOf,
  nthWeekdayOf,
  parseDay,
  weekdayOf,
  type DayNumber,
} from "./civilDate.js";

/** Unscheduled full-day closures inside 1990–2040. */
const SPECIAL_CLOSURES: readonly string[] = [
  "1994-04-27", // Nixon funeral
  "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", // September 11 attacks
  "2004-06-11", // Reagan funeral
  "2007-01-02", // Ford funeral
  "2012-10-29", "2012-10-30", // Hurricane Sandy
  "2018-12-05", // G.H.W. Bush funeral
  "2025-01-09", // Carter funeral
];

/** A weekend fixed-date holiday moves to the nearest weekday: Saturday → Friday, Sunday → Monday. */
function nearestWeekday(day: DayNumber): DayNumber {
  const weekday = weekdayOf(day);
  if (weekday === SATURDAY) return day - 1;
  return weekday === SUNDAY ? day + 1 : day;
}

/** Western Easter Sunday (anonymous Gregorian computus). */
function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}

/** Jan 1; Sunday → Monday; Saturday is not moved back into the old year (NYSE rule). */
function newYearsDay(year: number): DayNumber {
  const day = dayNumberOf(year, 1, 1);
  return weekdayOf(day) === SUNDAY ? day + 1 : day;
}

/** The weekdays the NYSE is closed in `year`: observed holidays plus special closures. */
export function nyseClosedDays(year: number): Set<DayNumber> {
  const holidays = [
    newYearsDay(year), // New Year's Day: Sunday → Monday, Saturday not observed
    year >= 1998 ? nthWeekdayOf(year, 1, MONDAY, 3) : undefined, // MLK Day: 3rd Monday of January, from 1998
    nthWeekdayOf(year, 2, MONDAY, 3), // Washington's Birthday: 3rd Monday of February
    easterSunday(year) - 2, // Good Friday
    lastWeekdayOf(year, 5, MONDAY), // Memorial Day: last Monday of May
    year >= 2022 ? nearestWeekday(dayNumberOf(year, 6, 19)) : undefined, // Juneteenth, from 2022
    nearestWeekday(dayNumberOf(year, 7, 4)), // Independence Day
    nthWeekdayOf(year, 9, MONDAY, 1), // Labor Day: 1st Monday of September
    nthWeekdayOf(year, 11, THURSDAY, 4), // Thanksgiving: 4th Thursday of November
    nearestWeekday(dayNumberOf(year, 12, 25)), // Christmas
  ];
  const specials = SPECIAL_CLOSURES.map((date) => parseDay(date) as DayNumber);
  return new Set([...holidays, ...specials].filter((day): day is DayNumber => day !== undefined));
}

/** Days in `year` that close at 13:00 when they are sessions; the caller drops non-sessions. */
export function nyseEarlyCloseCandidates(year: number): DayNumber[] {
  const july3 = dayNumberOf(year, 7, 3);
  const july3Weekday = weekdayOf(july3);
  const july5 = dayNumberOf(year, 7, 5);
  const candidates = [
    nthWeekdayOf(year, 11, THURSDAY, 4) + 1, // day after Thanksgiving
    // from 2013: July 3 whenever it is a session (Mon–Thu)
    year >= 2013 ? july3 : undefined,
    // 1995–2012: July 3 on Mon/Tue/Thu
    year >= 1995 && year <= 2012 && [MONDAY, TUESDAY, THURSDAY].includes(july3Weekday) ? july3 : undefined,
    // 1996–2012: when July 4 was a Thursday, Friday July 5 closed early instead of Wednesday July 3
    year >= 1996 && year <= 2012 && weekdayOf(july5) === FRIDAY ? july5 : undefined,
    year >= 1993 ? dayNumberOf(year, 12, 24) : undefined, // Christmas Eve when a session, from 1993
  ];
  return candidates.filter((day): day is DayNumber => day !== undefined);
}
