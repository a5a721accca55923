export type { Clock, SessionDate, TradingCalendar } from "./types.js";
export { SimulatedClock, Stopwatch, SystemClock, assertSessionDate, newYorkTimeOn, sessionDateOf } from "./clocks.js";
export { nyseCalendar } from "./nyse.js";
export { lastClosedSession, marketClockAt, type MarketClockReading } from "./marketClock.js";
export { notASession } from "./nearest.js";
