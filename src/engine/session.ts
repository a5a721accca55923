import type { SessionDate } from "../clock/types.js";
import type { SymbolBars } from "../data/barStore.js";
import { Ledger } from "../portfolio/index.js";
import type { BarVerdicts } from "../safety/index.js";
import type { EngineDeps, EngineState, SessionContext, Stage } from "./context.js";
import { crashPoint } from "./crashPoints.js";
import { SESSION_STAGES } from "./pipeline.js";
import { loadEngineState } from "./state.js";

/**
 * One session of the pipeline, whoever drives it. A driver (replay or live) says where time, bars and fills
 * come from; the session runs the same stage list in both. The engine's memory between sessions is
 * `state` + `ledger`, reloaded from the store when a driver restarts.
 */
export class SessionEngine {
  private state: EngineState;
  private ledger: Ledger;
  /** Bar verdicts outlive sessions (not restarts: they are recomputed from the bars, to the same answers). */
  private readonly barVerdicts = new WeakMap<SymbolBars, BarVerdicts>();

  constructor(
    private readonly store: EngineDeps["store"],
    private readonly capital: number,
  ) {
    this.state = loadEngineState(store, capital);
    this.ledger = Ledger.fromSnapshot(this.state.ledger);
  }

  /** The last session persisted in the store (null for a new bot). */
  get lastSession(): SessionDate | null {
    return this.state.lastSession;
  }

  get currentState(): EngineState {
    return this.state;
  }

  /** Symbols the book holds now, whichever strategy holds them. */
  heldSymbols(): string[] {
    return [...this.ledger.qtyBySymbol().keys()];
  }

  /** Starts session `date` (bar index `index` in `deps.bars`) from the state the previous session left. */
  begin(deps: EngineDeps, date: SessionDate, index: number): SessionContext {
    return newSessionContext(deps, this.state, this.ledger, date, index, this.barVerdicts);
  }

  /** Drops all in-memory state and reloads it from the store, as a restarted process would. */
  reload(): void {
    this.state = loadEngineState(this.store, this.capital);
    this.ledger = Ledger.fromSnapshot(this.state.ledger);
  }
}

/** Runs the stages of one phase, in the pipeline's order; each stage's start is a crash point (`stage:<name>`). */
export async function runPhase(ctx: SessionContext, phase: Stage["phase"]): Promise<void> {
  for (const stage of SESSION_STAGES) {
    if (stage.phase !== phase) continue;
    crashPoint(`stage:${stage.name}`, ctx.date);
    await stage.run(ctx);
  }
}

/** A session's working memory, starting from the state the previous session left. */
export function newSessionContext(
  deps: EngineDeps, state: EngineState, ledger: Ledger, date: SessionDate, index: number, barVerdicts = new WeakMap<SymbolBars, BarVerdicts>(),
): SessionContext {
  return {
    deps, date, index, state, ledger, barVerdicts,
    events: [], signalRows: [], quality: new Map(), fills: [], ordersToStore: [], intentStatuses: new Map(), adoptedOperatorOrders: [], signals: [], ordersSubmitted: [],
    equity: 0, drawdown: 0, brokerReachable: true,
    killSwitch: { global: false, strategies: new Set() },
    flatten: false,
    sizingMultiplier: 1,
    checkpointDeferred: false,
  };
}
