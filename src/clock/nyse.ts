import {
  SATURDAY,
  SUNDAY,
  dayNumberOf,
  formatDay,
  isoWeekStart,
  parseDay,
  weekdayOf,
  yearOf,
  type DayNumber,
} from "./civilDate.js";
import { assertSessionDate } from "./clocks.js";
import { newYorkWallTimeToEpoch } from "./newYorkTime.js";
import { nyseClosedDays, nyseEarlyCloseCandidates } from "./nyseRules.js";
import type { SessionDate, TradingCalendar } from "./types.js";

const FIRST_YEAR = 1990;
const LAST_YEAR = 2040;
const OPEN_MINUTES = 9 * 60 + 30;
const REGULAR_CLOSE_MINUTES = 16 * 60;
const EARLY_CLOSE_MINUTES = 13 * 60;

interface YearSessions {
  /** Sorted ascending; `YYYY-MM-DD` strings sort chronologically. */
  readonly sessions: readonly SessionDate[];
  readonly sessionSet: ReadonlySet<SessionDate>;
  readonly earlyCloses: ReadonlySet<SessionDate>;
}

interface CheckedDate {
  readonly day: DayNumber;
  readonly year: number;
}

function buildYear(year: number): YearSessions {
  const closed = nyseClosedDays(year);
  const sessions: SessionDate[] = [];
  for (let day = dayNumberOf(year, 1, 1); day < dayNumberOf(year + 1, 1, 1); day++) {
    const weekday = weekdayOf(day);
    if (weekday !== SATURDAY && weekday !== SUNDAY && !closed.has(day)) sessions.push(formatDay(day));
  }
  const sessionSet = new Set(sessions);
  const earlyCloses = new Set(nyseEarlyCloseCandidates(year).map(formatDay).filter((date) => sessionSet.has(date)));
  return { sessions, sessionSet, earlyCloses };
}

/** Index of the first item after `value` (or at it, when `inclusive`) in an ascending list. */
function searchIndex(items: readonly string[], value: string, inclusive: boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const before = inclusive ? items[mid] < value : items[mid] <= value;
    if (before) low = mid + 1;
    else high = mid;
  }
  return low;
}

class NyseCalendar implements TradingCalendar {
  readonly name = "NYSE";
  private readonly years = new Map<number, YearSessions>();

  isSession(date: SessionDate): boolean {
    return this.hasSession(date, this.check(date, "isSession").year);
  }

  sessionsBetween(from: SessionDate, to: SessionDate): SessionDate[] {
    const fromYear = this.check(from, "sessionsBetween from").year;
    const toYear = this.check(to, "sessionsBetween to").year;
    const result: SessionDate[] = [];
    for (let year = fromYear; year <= toYear; year++) {
      const { sessions } = this.sessionsOf(year);
      result.push(...sessions.slice(searchIndex(sessions, from, true), searchIndex(sessions, to, false)));
    }
    return result;
  }

  nextSession(date: SessionDate): SessionDate {
    const { year } = this.check(date, "nextSession");
    const { sessions } = this.sessionsOf(year);
    const index = searchIndex(sessions, date, false);
    if (index < sessions.length) return sessions[index];
    if (year === LAST_YEAR) throw new Error(`nextSession: no NYSE session after '${date}' within ${FIRST_YEAR}–${LAST_YEAR}`);
    return this.sessionsOf(year + 1).sessions[0];
  }

  previousSession(date: SessionDate): SessionDate {
    const { year } = this.check(date, "previousSession");
    const { sessions } = this.sessionsOf(year);
    const index = searchIndex(sessions, date, true) - 1;
    if (index >= 0) return sessions[index];
    if (year === FIRST_YEAR) throw new Error(`previousSession: no NYSE session before '${date}' within ${FIRST_YEAR}–${LAST_YEAR}`);
    return this.sessionsOf(year - 1).sessions.at(-1) as SessionDate;
  }

  openTime(date: SessionDate): number {
    return newYorkWallTimeToEpoch(this.checkSession(date, "openTime").day, OPEN_MINUTES);
  }

  closeTime(date: SessionDate): number {
    const { day, year } = this.checkSession(date, "closeTime");
    const early = this.sessionsOf(year).earlyCloses.has(date);
    return newYorkWallTimeToEpoch(day, early ? EARLY_CLOSE_MINUTES : REGULAR_CLOSE_MINUTES);
  }

  isEarlyClose(date: SessionDate): boolean {
    return this.sessionsOf(this.check(date, "isEarlyClose").year).earlyCloses.has(date);
  }

  isFirstSessionOfWeek(date: SessionDate): boolean {
    const { day, year } = this.check(date, "isFirstSessionOfWeek");
    if (!this.hasSession(date, year)) return false;
    // 1990-01-01 is a Monday, so the week's earlier days never leave the supported range.
    for (let earlier = isoWeekStart(day); earlier < day; earlier++) {
      if (this.hasSession(formatDay(earlier), yearOf(earlier))) return false;
    }
    return true;
  }

  private check(date: SessionDate, what: string): CheckedDate {
    const day = parseDay(assertSessionDate(date, what)) as DayNumber;
    const year = yearOf(day);
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new Error(`${what}: '${date}' is outside the NYSE calendar range ${FIRST_YEAR}-01-01..${LAST_YEAR}-12-31`);
    }
    return { day, year };
  }

  private checkSession(date: SessionDate, what: string): CheckedDate {
    const checked = this.check(date, what);
    if (!this.hasSession(date, checked.year)) throw new Error(`${what}: '${date}' is not an NYSE session`);
    return checked;
  }

  private hasSession(date: SessionDate, year: number): boolean {
    return this.sessionsOf(year).sessionSet.has(date);
  }

  private sessionsOf(year: number): YearSessions {
    let cached = this.years.get(year);
    if (!cached) {
      cached = buildYear(year);
      this.years.set(year, cached);
    }
    return cached;
  }
}

/** The New York Stock Exchange calendar for 1990–2040, computed from the exchange's holiday rules. */
export const nyseCalendar: TradingCalendar = new NyseCalendar();
