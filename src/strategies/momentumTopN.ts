import { formatPercent, noTargets } from "./decision.js";
import { paramError, positiveInteger, strategyId, symbolList, type StrategyDefinition } from "./params.js";
import type { IndicatorSpec, Strategy, StrategyContext, StrategyDecision } from "./types.js";

const NAME = "momentum_top_n";
const DEFAULT_LOOKBACK = 126;
const DEFAULT_TOP_N = 3;

/** Parameters of {@link MomentumTopN}; `lookback` counts sessions with a bar. */
export interface MomentumTopNParams {
  id?: string;
  symbols: readonly string[];
  lookback?: number;
  topN?: number;
}

interface Ranked {
  symbol: string;
  momentum: number;
}

/** Code-point order, so ties rank the same on every machine whatever its locale. */
function byMomentumThenSymbol(a: Ranked, b: Ranked): number {
  if (a.momentum !== b.momentum) return b.momentum - a.momentum;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

/** Splits equity equally over the top N tradable symbols with positive momentum; exits held symbols that drop out. */
export class MomentumTopN implements Strategy {
  readonly id: string;
  readonly name = NAME;
  readonly symbols: readonly string[];
  readonly requiredIndicators: readonly IndicatorSpec[];
  private readonly momentum: IndicatorSpec;
  private readonly topN: number;

  constructor(params: MomentumTopNParams) {
    this.id = strategyId(NAME, params.id);
    this.symbols = symbolList(NAME, "symbols", params.symbols);
    this.topN = positiveInteger(NAME, "topN", params.topN ?? DEFAULT_TOP_N);
    if (this.topN > this.symbols.length) {
      paramError(NAME, `topN (${this.topN}) must be <= the number of symbols (${this.symbols.length})`);
    }
    this.momentum = { kind: "momentum", period: positiveInteger(NAME, "lookback", params.lookback ?? DEFAULT_LOOKBACK) };
    this.requiredIndicators = [this.momentum];
  }

  onSession(ctx: StrategyContext): StrategyDecision {
    const picks = this.rank(ctx)
      .filter((entry) => entry.momentum > 0)
      .slice(0, this.topN);
    const targets = new Map<string, number>();
    for (const pick of picks) targets.set(pick.symbol, 1 / this.topN);
    // Only tradable symbols may be sold; a held symbol blocked by data quality stays as it is.
    const exits = ctx.universe.filter((symbol) => !targets.has(symbol) && ctx.positionQty(symbol) !== 0);
    for (const symbol of exits) targets.set(symbol, 0);
    if (targets.size === 0) return noTargets("no tradable symbol with positive momentum");
    return { targets, note: describe(picks, exits) };
  }

  private rank(ctx: StrategyContext): Ranked[] {
    return ctx.universe
      .map((symbol) => ({ symbol, momentum: ctx.indicator(symbol, this.momentum) }))
      .filter((entry) => Number.isFinite(entry.momentum))
      .sort(byMomentumThenSymbol);
  }
}

function describe(picks: readonly Ranked[], exits: readonly string[]): string {
  const top = picks.map((pick) => `${pick.symbol} ${formatPercent(pick.momentum)}`).join(", ");
  const parts = [picks.length > 0 ? `top: ${top}` : "no symbol with positive momentum"];
  if (exits.length > 0) parts.push(`exit: ${exits.join(", ")}`);
  return parts.join("; ");
}

export const momentumTopNDefinition: StrategyDefinition = {
  name: NAME,
  description: "Holds the top N symbols by momentum (only those with positive momentum), 1/N of equity each.",
  params: [
    { name: "symbols", type: "symbols", description: "The tickers to rank." },
    { name: "lookback", type: "integer", default: DEFAULT_LOOKBACK, description: "Momentum look-back in sessions." },
    { name: "topN", type: "integer", default: DEFAULT_TOP_N, description: "How many symbols to hold; at most the number of symbols." },
  ],
  create: (id, params) =>
    new MomentumTopN({
      id,
      symbols: params.symbols as string[],
      lookback: params.lookback as number | undefined,
      topN: params.topN as number | undefined,
    }),
};
