import { sessionDateOf } from "./clocks.js";
import type { SessionDate, TradingCalendar } from "./types.js";

/** Whether the exchange is open at an instant, and its next open and close (epoch ms), as Alpaca's `/v2/clock` says. */
export interface MarketClockReading {
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/** Reads the calendar at `now`: during a session the next close is today's; after it, the next session's. */
export function marketClockAt(calendar: TradingCalendar, now: number): MarketClockReading {
  const today = sessionDateOf(now);
  const session: SessionDate | null = calendar.isSession(today) && now < calendar.closeTime(today) ? today : null;
  const isOpen = session !== null && now >= calendar.openTime(session);
  const closeSession = session ?? calendar.nextSession(today);
  const openSession = session !== null && now < calendar.openTime(session) ? session : calendar.nextSession(today);
  return { isOpen, nextOpen: calendar.openTime(openSession), nextClose: calendar.closeTime(closeSession) };
}

/** The most recent session whose close is at or before `now`: the latest session a daily bot can decide. */
export function lastClosedSession(calendar: TradingCalendar, now: number): SessionDate {
  const today = sessionDateOf(now);
  if (calendar.isSession(today) && now >= calendar.closeTime(today)) return today;
  return calendar.previousSession(today);
}
