import type { VenueControl } from "../broker/types.js";
import type { SimulatedClock } from "../clock/index.js";
import type { SessionDate } from "../clock/types.js";
import type { EngineDeps, EngineState, SessionContext } from "./context.js";
import { runPhase, SessionEngine } from "./session.js";

/** Calls a replay makes around each session, for fault injection and progress; none may change the stages. */
export interface ReplayHooks {
  /** Before the session's open: scenario injections (stale feeds, kill switches, broker faults). */
  beforeSession?(date: SessionDate, index: number): void | Promise<void>;
  /** After the open's fills were booked, before the close: the book as the close will see it. */
  afterOpen?(date: SessionDate, index: number, ctx: SessionContext): void;
  /** After the session's close was persisted. */
  afterSession?(date: SessionDate, index: number, ctx: SessionContext): void;
  /** True to drop all in-memory state after this session and reload it from the store, as a restarted process would. */
  restartAfter?(date: SessionDate): boolean;
  /** True to end the replay after this session (a stop signal); the session itself is complete and persisted. */
  stopAfter?(date: SessionDate): boolean;
}

export interface ReplayOptions {
  clock: SimulatedClock;
  from: SessionDate;
  to: SessionDate;
  capital: number;
  /** The simulated venue whose open and close the replay drives. */
  venue: VenueControl;
  hooks?: ReplayHooks;
}

export interface ReplayResult {
  sessions: number;
  firstSession: SessionDate | null;
  lastSession: SessionDate | null;
  /** Sessions skipped because an earlier run on the same store already did them. */
  resumedAfter: SessionDate | null;
  state: EngineState;
}

/**
 * The replay driver: sessions `from`..`to` on the simulated clock, bars from the loaded files, the venue's
 * open (fills) and close (marks) driven in step, resuming after the store's last session.
 */
export async function replay(deps: EngineDeps, options: ReplayOptions): Promise<ReplayResult> {
  const engine = new SessionEngine(deps.store, options.capital);
  const resumedAfter = engine.lastSession;
  const sessions = deps.calendar
    .sessionsBetween(options.from, options.to)
    .filter((date) => resumedAfter === null || date > resumedAfter);
  let done = 0;
  for (const date of sessions) {
    const index = deps.bars.indexOf(date);
    if (index < 0) throw new Error(`session ${date} is outside the loaded data (${deps.bars.sessions[0]}..${deps.bars.sessions.at(-1)})`);
    await options.hooks?.beforeSession?.(date, index);
    const ctx = engine.begin(deps, date, index);
    options.clock.advanceTo(deps.calendar.openTime(date));
    await options.venue.onSessionOpen(index);
    await runPhase(ctx, "open");
    options.hooks?.afterOpen?.(date, index, ctx);
    options.clock.advanceTo(deps.calendar.closeTime(date));
    await options.venue.onSessionClose(index);
    await runPhase(ctx, "close");
    options.hooks?.afterSession?.(date, index, ctx);
    if (options.hooks?.restartAfter?.(date)) engine.reload();
    done += 1;
    if (options.hooks?.stopAfter?.(date)) break;
  }
  return { sessions: done, firstSession: sessions[0] ?? null, lastSession: sessions[done - 1] ?? null, resumedAfter, state: engine.currentState };
}
