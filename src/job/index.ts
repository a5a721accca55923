export { prepareReplay, ReplayInputError, SIMULATED_BROKER_STATE_KEY, type PreparedReplay, type ReplayJobOptions } from "./replayJob.js";
export { deriveRunId } from "./runId.js";
export { parseStrategyArgument } from "./strategySpec.js";
