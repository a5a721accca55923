import { initialDrawdownState, createFunnel } from "../safety/index.js";
import { Ledger } from "../portfolio/index.js";
import type { Store } from "../store/index.js";
import type { EngineState } from "./context.js";

/** The system_state key under which the engine keeps its state between sessions. */
export const ENGINE_STATE_KEY = "engine";

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

export function saveEngineState(store: Store, state: EngineState): void {
  store.setSystemState(ENGINE_STATE_KEY, state);
}
