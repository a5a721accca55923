import type { SessionDate } from "../clock/types.js";

/** An indicator a strategy needs; the data-quality stage blocks a symbol where it cannot be computed. */
export interface IndicatorSpec {
  kind: "sma" | "momentum";
  /** Look-back in bars data quality accepted. */
  period: number;
}

/**
 * What a strategy sees at a session close. Only `universe` symbols may be traded this session. There are no raw
 * bars here: prices and indicators come from bars data quality accepted, so a bad bar never reaches a decision.
 */
export interface StrategyContext {
  date: SessionDate;
  /** Index of `date` on the bar store's session axis. */
  sessionIndex: number;
  /** The strategy's symbols that passed data quality this session, in the strategy's order. */
  universe: readonly string[];
  /** This strategy's own holdings in shares, by symbol. */
  positionQty(symbol: string): number;
  /** The last good close of a symbol at or before this session. */
  price(symbol: string): number;
  /** Value of an indicator over the accepted bars up to this session; NaN with fewer accepted bars than it needs. */
  indicator(symbol: string, spec: IndicatorSpec): number;
}

/**
 * A strategy's wish for this session: target weights of its own equity per symbol.
 * Symbols it leaves out are held as they are; weight 0 means exit.
 */
export interface StrategyDecision {
  targets: ReadonlyMap<string, number>;
  /** A short why, for the signals table and the funnel. */
  note?: string;
}

/** A strategy instance's share of the account: `weight` of equity (else an equal share of the rest) and its rebalance band. */
export interface StrategyAllocation {
  weight?: number;
  rebalanceBand?: number;
}

export interface Strategy {
  readonly id: string;
  readonly name: string;
  readonly symbols: readonly string[];
  readonly requiredIndicators: readonly IndicatorSpec[];
  /** Set from the `weight` and `rebalance_band` params every strategy takes; absent means an equal share and REBALANCE_BAND. */
  readonly allocation?: StrategyAllocation;
  onSession(ctx: StrategyContext): StrategyDecision;
}
