import { formatNumber, noTargets, notTradable } from "./decision.js";
import { paramError, positiveInteger, strategyId, symbolName, type StrategyDefinition } from "./params.js";
import type { IndicatorSpec, Strategy, StrategyContext, StrategyDecision } from "./types.js";

const NAME = "sma_cross";
const DEFAULT_FAST = 50;
const DEFAULT_SLOW = 200;

/** Parameters of {@link SmaCross}; periods count sessions with a bar. */
export interface SmaCrossParams {
  id?: string;
  symbol: string;
  fast?: number;
  slow?: number;
}

/** Fully invested in one symbol while its fast SMA is above its slow SMA, flat otherwise. */
export class SmaCross implements Strategy {
  readonly id: string;
  readonly name = NAME;
  readonly symbols: readonly string[];
  readonly requiredIndicators: readonly IndicatorSpec[];
  private readonly symbol: string;
  private readonly fast: IndicatorSpec;
  private readonly slow: IndicatorSpec;

  constructor(params: SmaCrossParams) {
    this.id = strategyId(NAME, params.id);
    this.symbol = symbolName(NAME, "symbol", params.symbol);
    const fast = positiveInteger(NAME, "fast", params.fast ?? DEFAULT_FAST);
    const slow = positiveInteger(NAME, "slow", params.slow ?? DEFAULT_SLOW);
    if (fast >= slow) paramError(NAME, `fast (${fast}) must be < slow (${slow})`);
    this.symbols = [this.symbol];
    this.fast = { kind: "sma", period: fast };
    this.slow = { kind: "sma", period: slow };
    this.requiredIndicators = [this.fast, this.slow];
  }

  onSession(ctx: StrategyContext): StrategyDecision {
    if (!ctx.universe.includes(this.symbol)) {
      return notTradable(this.symbol);
    }
    const fast = ctx.indicator(this.symbol, this.fast);
    const slow = ctx.indicator(this.symbol, this.slow);
    if (Number.isNaN(fast) || Number.isNaN(slow)) {
      return noTargets(`${this.symbol} SMAs not available yet`);
    }
    const comparison = `fast ${formatNumber(fast)} ${fast > slow ? ">" : "<="} slow ${formatNumber(slow)}`;
    return { targets: new Map([[this.symbol, fast > slow ? 1 : 0]]), note: comparison };
  }
}

export const smaCrossDefinition: StrategyDefinition = {
  name: NAME,
  description: "Holds one symbol while its fast simple moving average is above its slow one; exits otherwise.",
  params: [
    { name: "symbol", type: "symbol", description: "The ticker to trade." },
    { name: "fast", type: "integer", default: DEFAULT_FAST, description: "Fast SMA period in sessions; must be < slow." },
    { name: "slow", type: "integer", default: DEFAULT_SLOW, description: "Slow SMA period in sessions." },
  ],
  create: (id, params) =>
    new SmaCross({
      id,
      symbol: params.symbol as string,
      fast: params.fast as number | undefined,
      slow: params.slow as number | undefined,
    }),
};
