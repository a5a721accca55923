import type { VenueControl } from "../broker/types.js";
import type { SimulatedClock } from "../clock/index.js";
import type { SessionDate } from "../clock/types.js";
import { Ledger } from "../portfolio/index.js";
import type { EngineDeps, EngineState, SessionContext, Stage } from "./context.js";
import { SESSION_STAGES } from "./pipeline.js";
import { loadEngineState } from "./state.js";

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

/** Replays sessions `from`..`to` on the simulated clock through the session pipeline, resuming after the store's last session. */
export async function replay(deps: EngineDeps, options: ReplayOptions): Promise<ReplayResult> {
  let state = loadEngineState(deps.store, options.capital);
  let ledger = Ledger.fromSnapshot(state.ledger);
  const resumedAfter = state.lastSession;
  const sessions = deps.calendar
    .sessionsBetween(options.from, options.to)
    .filter((date) => resumedAfter === null || date > resumedAfter);
  for (const date of sessions) {
    const index = deps.bars.indexOf(date);
    if (index < 0) throw new Error(`session ${date} is outside the loaded data (${deps.bars.sessions[0]}..${deps.bars.sessions.at(-1)})`);
    await options.hooks?.beforeSession?.(date, index);
    const ctx = newSessionContext(deps, state, ledger, date, index);
    options.clock.advanceTo(deps.calendar.openTime(date));
    await options.venue.onSessionOpen(index);
    await runPhase(ctx, "open");
    options.hooks?.afterOpen?.(date, index, ctx);
    options.clock.advanceTo(deps.calendar.closeTime(date));
    await options.venue.onSessionClose(index);
    await runPhase(ctx, "close");
    options.hooks?.afterSession?.(date, index, ctx);
    if (options.hooks?.restartAfter?.(date)) {
      state = loadEngineState(deps.store, options.capital);
      ledger = Ledger.fromSnapshot(state.ledger);
    }
  }
  return { sessions: sessions.length, firstSession: sessions[0] ?? null, lastSession: sessions.at(-1) ?? null, resumedAfter, state };
}

async function runPhase(ctx: SessionContext, phase: Stage["phase"]): Promise<void> {
  for (const stage of SESSION_STAGES) {
    if (stage.phase === phase) await stage.run(ctx);
  }
}

/** A session's working memory, starting from the state the previous session left. */
export function newSessionContext(deps: EngineDeps, state: EngineState, ledger: Ledger, date: SessionDate, index: number): SessionContext {
  return {
    deps, date, index, state, ledger,
    events: [], signalRows: [], quality: new Map(), fills: [], ordersToStore: [], intentStatuses: new Map(), signals: [], ordersSubmitted: [],
    equity: 0, drawdown: 0, brokerReachable: true,
    killSwitch: { global: false, strategies: new Set() },
    flatten: false,
  };
}
