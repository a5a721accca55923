import { notTradable } from "./decision.js";
import { strategyId, symbolName, type StrategyDefinition } from "./params.js";
import type { IndicatorSpec, Strategy, StrategyContext, StrategyDecision } from "./types.js";

const NAME = "buy_and_hold";

/** Parameters of {@link BuyAndHold}. */
export interface BuyAndHoldParams {
  id?: string;
  symbol: string;
}

/** Fully invested in one symbol whenever it may trade; never lowers its weight, so it never sells on its own. */
export class BuyAndHold implements Strategy {
  readonly id: string;
  readonly name = NAME;
  readonly symbols: readonly string[];
  readonly requiredIndicators: readonly IndicatorSpec[] = [];
  private readonly symbol: string;

  constructor(params: BuyAndHoldParams) {
    this.id = strategyId(NAME, params.id);
    this.symbol = symbolName(NAME, "symbol", params.symbol);
    this.symbols = [this.symbol];
  }

  onSession(ctx: StrategyContext): StrategyDecision {
    if (!ctx.universe.includes(this.symbol)) {
      return notTradable(this.symbol);
    }
    return { targets: new Map([[this.symbol, 1]]), note: `holding ${this.symbol}` };
  }
}

export const buyAndHoldDefinition: StrategyDefinition = {
  name: NAME,
  description: "Buys one symbol with all of the strategy's equity and holds it.",
  params: [{ name: "symbol", type: "symbol", description: "The ticker to hold." }],
  create: (id, params) => new BuyAndHold({ id, symbol: params.symbol as string }),
};
