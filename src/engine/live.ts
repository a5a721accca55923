import { lastClosedSession } from "../clock/index.js";
import type { SessionDate, SimulatedClock } from "../clock/index.js";
import type { BarStore } from "../data/barStore.js";
import type { EngineDeps, SessionContext } from "./context.js";
import { runPhase, type SessionEngine } from "./session.js";

/** What the live driver needs besides the engine's wiring. */
export interface LiveDriverOptions {
  /** The engine's clock, moved to the broker's market clock at each cycle (the only "now" of a live session). */
  clock: SimulatedClock;
  /** Bars of the strategies' and the book's symbols through a session. */
  barsThrough(symbols: readonly string[], session: SessionDate): Promise<BarStore>;
  /** How long after a close the session counts as decidable (bars settle), in ms. */
  closeDelayMs: number;
}

export type LiveCycleResult =
  | { kind: "decided"; session: SessionDate; ctx: SessionContext }
  | { kind: "waiting"; lastDecided: SessionDate | null; nextDecision: number; now: number };

/**
 * The live driver's one decision cycle: reads "now" from the broker's market clock, and decides the latest
 * completed session unless the store already has it. The whole stage list runs after the close: the open
 * phase reads and books whatever the venue filled during the day, before marking and reconciling.
 */
export async function runLiveCycle(deps: EngineDeps, engine: SessionEngine, options: LiveDriverOptions): Promise<LiveCycleResult> {
  const market = await deps.broker.getClock();
  options.clock.advanceTo(Math.max(options.clock.now(), market.timestamp));
  const session = lastClosedSession(deps.calendar, market.timestamp - options.closeDelayMs);
  const lastDecided = engine.lastSession;
  if (lastDecided !== null && session <= lastDecided) {
    const nextDecision = deps.calendar.closeTime(deps.calendar.nextSession(lastDecided)) + options.closeDelayMs;
    return { kind: "waiting", lastDecided, nextDecision, now: market.timestamp };
  }
  const bars = await options.barsThrough(symbolsToFetch(deps, engine), session);
  const ctx = engine.begin({ ...deps, bars }, session, bars.indexOf(session));
  await runPhase(ctx, "open");
  await runPhase(ctx, "close");
  return { kind: "decided", session, ctx };
}

/** The strategies' symbols and anything the book still holds (a symbol dropped from a strategy must still be marked). */
function symbolsToFetch(deps: EngineDeps, engine: SessionEngine): string[] {
  const held = engine.heldSymbols();
  return [...new Set([...deps.strategies.flatMap((strategy) => strategy.symbols), ...held])].sort();
}

/** How a live loop waits; injected so tests and the sandbox never sleep for real. */
export interface LoopControl {
  /** Ends the loop after this many decided sessions (undefined: never). */
  maxSessions?: number;
  /** Longest single wait, in ms: the loop re-reads the market clock at least this often. */
  pollMs: number;
  sleep(ms: number): Promise<void>;
  /** True once SIGINT/SIGTERM asked the loop to stop; checked between sessions, never inside one. */
  stopRequested(): boolean;
  onCycle?(result: LiveCycleResult): void | Promise<void>;
}

/** Decides each session as its close passes, sleeping between closes (weekends and holidays by the calendar). */
export async function runLiveLoop(deps: EngineDeps, engine: SessionEngine, options: LiveDriverOptions, loop: LoopControl): Promise<number> {
  let decided = 0;
  while (!loop.stopRequested() && (loop.maxSessions === undefined || decided < loop.maxSessions)) {
    const result = await runLiveCycle(deps, engine, options);
    await loop.onCycle?.(result);
    if (result.kind === "decided") {
      decided += 1;
      continue;
    }
    await loop.sleep(Math.max(0, Math.min(loop.pollMs, result.nextDecision - result.now)));
  }
  return decided;
}
