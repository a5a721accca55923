export * from "./types.js";
export { isOpenOrder, orderFromRequest } from "./orders.js";
export { MAX_OPEN_SESSIONS, SimulatedBroker, type SimulatedBrokerOptions, type SimulatedBrokerSnapshot } from "./simulated.js";
export { DRY_RUN_REASON, DryRunBroker, type DryRunLogEntry } from "./dryRun.js";
