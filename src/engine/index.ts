export type { EngineDeps, EngineState, SessionContext, Signal, Stage, TrackedOrder } from "./context.js";
export { clientOrderIdFor, idempotencyKey, type IntentIdentity } from "./intents.js";
export { SESSION_STAGES } from "./pipeline.js";
export { runLiveCycle, runLiveLoop, type LiveCycleResult, type LiveDriverOptions, type LoopControl } from "./live.js";
export { runPhase, SessionEngine } from "./session.js";
export { replay, type ReplayHooks, type ReplayOptions, type ReplayResult } from "./replay.js";
export { ENGINE_STATE_KEY, initialEngineState, loadEngineState } from "./state.js";
export { KILL_SWITCH_STATE_KEY, type KillSwitchOverride } from "./stages/killSwitch.js";
export { CRASH_AT_ENV, crashPoint } from "./crashPoints.js";
