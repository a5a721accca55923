import type { StrategyDecision } from "./types.js";

const NO_TARGETS: ReadonlyMap<string, number> = new Map();

/** A decision that leaves every holding as it is, with the reason. */
export function noTargets(note: string): StrategyDecision {
  return { targets: NO_TARGETS, note };
}

/** A decision for a strategy whose symbol did not pass data quality this session. */
export function notTradable(symbol: string): StrategyDecision {
  return noTargets(`${symbol} not tradable this session`);
}

/** A number for a decision note, rounded to cents: 1234.5, 1200.13. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A return for a decision note, signed to one decimal: +12.3%, -4.0%. */
export function formatPercent(value: number): string {
  const percent = (value * 100).toFixed(1);
  return value >= 0 ? `+${percent}%` : `${percent}%`;
}
