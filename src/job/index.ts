export { prepareReplay, ReplayInputError, type PreparedReplay, type ReplayJobOptions } from "./replayJob.js";
export { deriveRunId } from "./runId.js";
export { parseStrategyArgument } from "./strategySpec.js";
