export {
  ALLOW,
  REASON_CODES,
  deny,
  type Decision,
  type HealthCheckItem,
  type HealthCheckResult,
  type ReasonCode,
  type SafetyEvent,
} from "./types.js";
export {
  DEFAULT_DRAWDOWN_CONFIG,
  drawdownOf,
  entryDecision,
  initialDrawdownState,
  isHalted,
  resolveHealthCheck,
  sizingMultiplier,
  stepDrawdown,
  type DrawdownConfig,
  type DrawdownMode,
  type DrawdownState,
  type DrawdownStep,
} from "./drawdown.js";
export { runHealthCheck, type HealthCheckInputs } from "./healthCheck.js";
export {
  checkSymbolQuality,
  dataQualitySummary,
  stalenessSessionsFromHours,
  type DataQualityConfig,
  type QualityReason,
  type SymbolQuality,
} from "./dataQuality.js";
export { acceptedBars, BarVerdicts, isAcceptedBar, lastGoodClose } from "./barChecks.js";
export { killSwitchDecision, parseStrategyList, type KillSwitchState } from "./killSwitch.js";
export { reconcilePositions, type PositionMismatch, type ReconciliationResult } from "./reconciliation.js";
export {
  DEFAULT_HEALTH_SCORE_CONFIG,
  pnlDrawdown,
  scoreStrategy,
  scoreStrategyWindows,
  type ClosedTrade,
  type HealthScoreConfig,
  type HealthStatus,
  type PnlDrawdown,
  type StrategyHealth,
  type StrategyHistory,
  type StrategyWindow,
} from "./healthScore.js";
export {
  FUNNEL_STAGES,
  createFunnel,
  funnelReport,
  recordPassed,
  recordRejected,
  recordResized,
  rejectionsReport,
  whyNoTrade,
  type Funnel,
  type FunnelRecord,
  type FunnelReport,
  type FunnelStage,
  type NoTradeExplanation,
  type RejectionRow,
  type StrategyFunnel,
} from "./funnel.js";
export {
  correlationSizing,
  isGoodBar,
  pairedReturns,
  pairedReturnsOf,
  pearson,
  symbolCorrelation,
  symbolCorrelationOf,
  windowReturns,
  type CorrelationConfig,
  type CorrelationVerdict,
  type PairCorrelation,
} from "./correlation.js";
export { composedMultiplier, sizeEntry, type EntryInputs, type EntrySize, type SizingStep } from "./entrySizing.js";
export { dailyOrdersDecision, hardCaps, positionRoom, type HardCap, type HardCapSettings } from "./hardCaps.js";
export { allocationProblem, allocateEquity, outsideRebalanceBand, type AllocationClaim } from "./allocation.js";
export {
  notFlatSymbols,
  openFlattenObligation,
  stepFlattenObligation,
  type FlattenObligation,
  type FlattenStep,
  type HeldPosition,
} from "./flattenObligation.js";
