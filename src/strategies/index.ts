export type { IndicatorSpec, Strategy, StrategyAllocation, StrategyContext, StrategyDecision } from "./types.js";
export { barsNeededByAll, computeIndicator, lookbackOf, momentum, sma, type IsAccepted } from "./indicators.js";
export { BuyAndHold, type BuyAndHoldParams } from "./buyAndHold.js";
export { SmaCross, type SmaCrossParams } from "./smaCross.js";
export { MomentumTopN, type MomentumTopNParams } from "./momentumTopN.js";
export { StrategyConfigError, type ParamInfo, type ParamType } from "./params.js";
export { ALLOCATION_PARAMS, createStrategy, listStrategies, type StrategyInfo, type StrategySpec } from "./registry.js";
