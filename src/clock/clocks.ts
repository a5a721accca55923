import { formatDay, parseDay } from "./civilDate.js";
import { newYorkDayOf, newYorkWallTimeToEpoch } from "./newYorkTime.js";
import type { Clock, SessionDate } from "./types.js";

/** A clock that only moves when told to, so replays are deterministic. */
export class SimulatedClock implements Clock {
  private current: number;

  constructor(startMs: number) {
    this.current = finiteMs(startMs, "SimulatedClock start");
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock to `ms`; staying put is allowed, going backwards throws. */
  advanceTo(ms: number): void {
    finiteMs(ms, "SimulatedClock.advanceTo");
    if (ms < this.current) {
      throw new Error(
        `SimulatedClock cannot move backwards: now ${describeMs(this.current)}, asked for ${describeMs(ms)}`,
      );
    }
    this.current = ms;
  }
}

/** The real wall clock, for paper/live trading; the only reader of the wall clock in src/. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** A monotonic timer for measuring how long a call took; never the time of a decision. */
export class Stopwatch implements Clock {
  now(): number {
    return performance.now();
  }
}

/** The New York local date of an instant (supported from 1987, the first modelled daylight-saving rule). */
export function sessionDateOf(ms: number): SessionDate {
  return formatDay(newYorkDayOf(finiteMs(ms, "sessionDateOf")));
}

/** Epoch ms of a New York wall-clock time on `date` (any real date), given as minutes after local midnight. */
export function newYorkTimeOn(date: SessionDate, minutesAfterMidnight: number): number {
  return newYorkWallTimeToEpoch(parseDay(assertSessionDate(date, "newYorkTimeOn")) as number, minutesAfterMidnight);
}

/** Returns `value` when it is a real `YYYY-MM-DD` date; otherwise throws, naming `what` and the value. */
export function assertSessionDate(value: string, what: string): SessionDate {
  if (typeof value !== "string" || parseDay(value) === undefined) {
    throw new Error(`${what}: expected a date YYYY-MM-DD, got '${String(value)}'`);
  }
  return value;
}

function finiteMs(ms: number, what: string): number {
  if (!Number.isFinite(ms)) throw new Error(`${what}: expected finite epoch milliseconds, got ${ms}`);
  return ms;
}

function describeMs(ms: number): string {
  return `${new Date(ms).toISOString()} (${ms})`;
}
