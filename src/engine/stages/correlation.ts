import type { Config } from "../../config/index.js";
import {
  correlationSizing, pearson, symbolCorrelationOf, windowReturns, type CorrelationConfig, type CorrelationVerdict, type PairCorrelation,
} from "../../safety/index.js";
import { verdictsOf, type SessionContext } from "../context.js";

/**
 * The correlation rule wired to one session: measures an entry against every symbol the account holds
 * or has open buys for (any strategy) and every symbol bought earlier in this session, in ranking order.
 * Correlations are cached per pair for the session, since each pair's answer is the same all session.
 */
export class SessionCorrelations {
  private readonly cache = new Map<string, number>();
  private readonly goodBars = new Map<string, (i: number) => boolean>();
  private readonly fullWindows = new Map<string, number[] | null>();
  private readonly held: Set<string>;

  constructor(private readonly ctx: SessionContext) {
    const owned = [...ctx.ledger.qtyBySymbol()].filter(([, qty]) => qty > 0).map(([symbol]) => symbol);
    const buying = ctx.state.openOrders.filter((order) => order.side === "buy").map((order) => order.symbol);
    this.held = new Set([...owned, ...buying]);
  }

  /** The rule's verdict on an entry in `symbol`, against everything held or bought so far. */
  verdict(symbol: string): CorrelationVerdict {
    const pairs: PairCorrelation[] = [...this.held]
      .filter((other) => other !== symbol)
      .map((other) => ({ symbol: other, correlation: this.correlation(symbol, other) }));
    return correlationSizing(pairs, correlationSettings(this.ctx.deps.config));
  }

  /** An entry sized this session counts as held for the entries ranked after it. */
  bought(symbol: string): void {
    this.held.add(symbol);
  }

  private correlation(a: string, b: string): number {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const { bars, config } = this.ctx.deps;
    const [first, second] = a < b ? [a, b] : [b, a];
    const measurable = bars.has(first) && bars.has(second);
    const [returnsA, returnsB] = measurable ? [this.fullWindowOf(first), this.fullWindowOf(second)] : [null, null];
    const value = !measurable
      ? Number.NaN
      : returnsA && returnsB
        ? pearson(returnsA, returnsB)
        : symbolCorrelationOf(bars.series(first), bars.series(second), this.ctx.index, config.CORRELATION_LOOKBACK, this.goodBarsOf(first), this.goodBarsOf(second));
    this.cache.set(key, value);
    return value;
  }

  /**
   * The symbol's returns over the look-back when data quality accepted every bar of it (the usual case), once
   * per session: a pair of such symbols needs no walk of its own. Null when a bar of the window was rejected.
   */
  private fullWindowOf(symbol: string): number[] | null {
    let returns = this.fullWindows.get(symbol);
    if (returns === undefined) {
      const { bars, config } = this.ctx.deps;
      const lookback = config.CORRELATION_LOOKBACK;
      const start = this.ctx.index - lookback;
      const allAccepted = verdictsOf(this.ctx, symbol).acceptedBack(this.ctx.index, lookback + 1) === start;
      returns = allAccepted ? windowReturns(bars.series(symbol), this.ctx.index, lookback) : null;
      this.fullWindows.set(symbol, returns);
    }
    return returns;
  }

  /** A good bar is one data quality accepted: the verdicts the engine keeps, one predicate per symbol for all its pairs. */
  private goodBarsOf(symbol: string): (i: number) => boolean {
    let isGood = this.goodBars.get(symbol);
    if (isGood === undefined) {
      const verdicts = verdictsOf(this.ctx, symbol);
      isGood = (i) => verdicts.isAccepted(i);
      this.goodBars.set(symbol, isGood);
    }
    return isGood;
  }
}

function correlationSettings(config: Config): CorrelationConfig {
  return {
    lookback: config.CORRELATION_LOOKBACK,
    threshold: config.CORRELATION_THRESHOLD,
    sizingPct: config.CORRELATION_SIZING_PCT,
    outlierMaxMove: config.OUTLIER_MAX_MOVE,
  };
}
