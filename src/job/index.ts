export { prepareReplay, ReplayInputError, SIMULATED_BROKER_STATE_KEY, type PreparedReplay, type ReplayJobOptions } from "./replayJob.js";
export { deriveRunId } from "./runId.js";
export { parseStrategyArgument } from "./strategySpec.js";
export { checkLiveGuard, LIVE_OPT_IN, type LiveGuardInput } from "./liveGuard.js";
export { maskAccountId, prepareLiveTrade, type LiveTradeOptions, type PreparedTrade, type TradeBanner } from "./tradeJob.js";
export { NoRecordingError, REPLAY_DB, replayRecording, type RecordingReplayOptions, type RecordingReplayResult } from "./recordingReplayJob.js";
export { operatorFlatten, type OperatorFlattenOptions, type OperatorFlattenResult } from "./flattenJob.js";
export { clearTradeProcess, isTradeProcessRunning, markTradeProcess, TRADE_PROCESS_STATE_KEY, type TradeProcessMark } from "./processMark.js";
export { botStatus, type BotStatus } from "./status.js";
