import type { VenueControl } from "../broker/types.js";
import type { SimulatedClock } from "../clock/index.js";
import type { SessionDate } from "../clock/types.js";
import type { EngineDeps, EngineState, SessionContext } from "./context.js";
import { crashPoint } from "./crashPoints.js";
import { runPhase, SessionEngine } from "./session.js";
import { writeCheckpoint } from "./stages/persist.js";

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
  /**
   * Sessions per commit (default 1: each session commits at its close, as a live bot does). More commit that
   * many sessions at once: a kill loses the uncommitted ones, which the resumed replay decides again, identically.
   */
  commitEvery?: number;
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
  const commits = new CommitBatches(deps, options.commitEvery ?? 1);
  let done = 0;
  try {
    for (const date of sessions) {
      const index = deps.bars.indexOf(date);
      if (index < 0) throw new Error(`session ${date} is outside the loaded data (${deps.bars.sessions[0]}..${deps.bars.sessions.at(-1)})`);
      await options.hooks?.beforeSession?.(date, index);
      commits.open();
      const ctx = engine.begin(deps, date, index);
      ctx.checkpointDeferred = commits.batching;
      options.clock.advanceTo(deps.calendar.openTime(date));
      options.venue.onSessionOpen(index);
      await runPhase(ctx, "open");
      options.hooks?.afterOpen?.(date, index, ctx);
      options.clock.advanceTo(deps.calendar.closeTime(date));
      options.venue.onSessionClose(index);
      await runPhase(ctx, "close");
      options.hooks?.afterSession?.(date, index, ctx);
      done += 1;
      const restart = options.hooks?.restartAfter?.(date) ?? false;
      const stop = options.hooks?.stopAfter?.(date) ?? false;
      // A restart reloads from the store and a stop ends the run: both need this session committed.
      await commits.close(ctx, restart || stop || done === sessions.length);
      if (restart) engine.reload();
      if (stop) break;
    }
  } catch (error) {
    // Back to the last commit, consistent: the resumed replay decides the lost sessions again.
    commits.rollback();
    throw error;
  }
  return { sessions: done, firstSession: sessions[0] ?? null, lastSession: sessions[done - 1] ?? null, resumedAfter, state: engine.currentState };
}

/** Groups a replay's sessions into transactions of `every` sessions, each ending with one checkpoint. */
class CommitBatches {
  private inBatch = 0;

  constructor(
    private readonly deps: EngineDeps,
    private readonly every: number,
  ) {}

  /** True when sessions share a transaction; with one session per commit, each session's close commits itself. */
  get batching(): boolean {
    return this.every > 1;
  }

  open(): void {
    if (this.batching && this.inBatch === 0) this.deps.store.beginOpenTransaction();
  }

  /** After session `ctx`: commits when the batch is full or `now` (artifacts first, so a commit never outruns its files). */
  async close(ctx: SessionContext, now: boolean): Promise<void> {
    if (!this.batching) return;
    this.inBatch += 1;
    if (!now && this.inBatch < this.every) return;
    writeCheckpoint(ctx);
    await this.deps.artifacts.flush?.();
    crashPoint("replay:before_commit", ctx.date);
    this.deps.store.commitOpenTransaction();
    this.inBatch = 0;
  }

  rollback(): void {
    if (!this.batching) return;
    this.deps.store.rollbackOpenTransaction();
    this.inBatch = 0;
  }
}
