import type { SessionDate, TradingCalendar } from "./types.js";

/**
 * Why `date` cannot start or end a replay, with the sessions on either side to pick from, e.g.
 * `2020-01-04 is not an NYSE session (weekend, holiday or closure); nearest sessions 2020-01-03 and 2020-01-06`.
 * Undefined when `date` is a session.
 */
export function notASession(calendar: TradingCalendar, date: SessionDate): string | undefined {
  let isSession: boolean;
  try {
    isSession = calendar.isSession(date);
  } catch (error) {
    // Outside the calendar's years: its own message says which range it covers.
    return (error as Error).message.replace(/^isSession: /, "");
  }
  if (isSession) return undefined;
  const nearest = [sideOf(() => calendar.previousSession(date)), sideOf(() => calendar.nextSession(date))].filter(Boolean);
  return `${date} is not an ${calendar.name} session (weekend, holiday or closure); nearest sessions ${nearest.join(" and ")}`;
}

/** A neighbouring session, or nothing at the edge of the calendar's range. */
function sideOf(find: () => SessionDate): SessionDate | undefined {
  try {
    return find();
  } catch {
    return undefined;
  }
}
