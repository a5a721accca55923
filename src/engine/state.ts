import { initialDrawdownState, createFunnel } from "../safety/index.js";
import { Ledger } from "../portfolio/index.js";
import type { Store } from "../store/index.js";
import type { EngineState } from "./context.js";

/** The system_state key under which the engine keeps its state between sessions. */
export const ENGINE_STATE_KEY = "engine";

/**
 * The drawdown stop's state again under its own key, so an operator can read it with plain sqlite3:
 * `SELECT value FROM system_state WHERE key='drawdown_stop_state'`. The engine reads only ENGINE_STATE_KEY.
 */
export const DRAWDOWN_STATE_KEY = "drawdown_stop_state";

/** A new bot's state: all cash, ACTIVE, high-water mark at the starting capital. */
export function initialEngineState(capital: number): EngineState {
  return {
    lastSession: null,
    drawdown: initialDrawdownState(capital),
    ledger: new Ledger(capital).snapshot(),
    openOrders: [],
    funnel: createFunnel(),
    health: {},
    marks: {},
    reconciliationMismatches: [],
    flattenObligation: null,
  };
}

/** The state the store holds, or a fresh one; the store is the source of truth on restart. */
export function loadEngineState(store: Store, capital: number): EngineState {
  const stored = store.getSystemState<EngineState>(ENGINE_STATE_KEY);
  // A store written before flatten obligations existed has none open.
  return stored ? { ...stored, flattenObligation: stored.flattenObligation ?? null } : initialEngineState(capital);
}

/** Writes the state (and its drawdown copy); called inside the session's transaction, so both keys always agree. */
export function saveEngineState(store: Store, state: EngineState): void {
  store.setSystemState(ENGINE_STATE_KEY, state);
  store.setSystemState(DRAWDOWN_STATE_KEY, state.drawdown);
}
