/** A trading session's date on the exchange calendar, `YYYY-MM-DD` (exchange local date). */
export type SessionDate = string;

/** The only source of "now" for the pipeline: epoch milliseconds (UTC). */
export interface Clock {
  now(): number;
}

/** An exchange calendar: which dates trade, and when they open and close. */
export interface TradingCalendar {
  readonly name: string;
  /** True when the exchange holds a regular or early-close session on that date. */
  isSession(date: SessionDate): boolean;
  /** Sessions from `from` to `to`, both inclusive when they are sessions, in order. */
  sessionsBetween(from: SessionDate, to: SessionDate): SessionDate[];
  /** The first session strictly after `date` (date need not be a session). */
  nextSession(date: SessionDate): SessionDate;
  /** The last session strictly before `date` (date need not be a session). */
  previousSession(date: SessionDate): SessionDate;
  /** Epoch ms of the session's open (09:30 New York time). Throws for a non-session. */
  openTime(date: SessionDate): number;
  /** Epoch ms of the session's close (16:00, or 13:00 on early closes, New York time). */
  closeTime(date: SessionDate): number;
  isEarlyClose(date: SessionDate): boolean;
  /** True when `date` is the first session of its ISO week (Monday, or Tuesday after a Monday holiday, …). */
  isFirstSessionOfWeek(date: SessionDate): boolean;
}
