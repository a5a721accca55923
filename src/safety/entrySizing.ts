import { floorCents } from "../portfolio/money.js";
import type { ReasonCode } from "./types.js";

/** What one entry's size is built from; every amount in dollars. */
export interface EntryInputs {
  /** The strategy's target value for the symbol and what it holds now. */
  targetValue: number;
  currentValue: number;
  /** Ramp-up multiplier (1 outside RAMPUP) and correlation multiplier (1 when no correlated pair). */
  rampup: number;
  correlation: number;
  /** MAX_ORDER_NOTIONAL; 0 is off. */
  maxOrderNotional: number;
  /** Dollars the symbol may still grow by under MAX_POSITION_PCT; Infinity when off. */
  positionRoom: number;
  minNotional: number;
  /** Cash this order may spend (buying power left, commission already taken off). */
  affordable: number;
}

/** One rule that made the entry smaller, with the size before and after it. */
export interface SizingStep {
  code: ReasonCode;
  before: number;
  after: number;
}

/** The entry's notional in whole cents, or why it is not sent; `steps` lists every rule that cut it, in order. */
export type EntrySize =
  | { kind: "sized"; asked: number; notional: number; steps: SizingStep[] }
  | { kind: "rejected"; asked: number; code: ReasonCode; wanted: number; steps: SizingStep[] };

/** The entry's total multiplier: the product of the factors, so never above any one of them. */
export function composedMultiplier(rampup: number, correlation: number): number {
  return rampup * correlation;
}

/**
 * Sizes an entry by the house order: target × ramp-up × correlation − held, then MAX_ORDER_NOTIONAL,
 * then MAX_POSITION_PCT, then the minimum notional, then buying power. Each rule can only lower the
 * size (a min of the step before), so the result is never above what any single rule allows; every
 * amount is floored to cents, so float noise never enlarges an order. A rejection names the first rule
 * that took the size below the minimum, or BELOW_MIN_NOTIONAL when the strategy asked for little.
 */
export function sizeEntry(inputs: EntryInputs): EntrySize {
  const asked = floorCents(inputs.targetValue - inputs.currentValue);
  const steps: SizingStep[] = [];
  let size = asked;
  const cut = (code: ReasonCode, limit: number): void => {
    if (limit >= size) return;
    steps.push({ code, before: size, after: limit });
    size = limit;
  };
  cut("RAMPUP_SIZING", floorCents(inputs.targetValue * inputs.rampup - inputs.currentValue));
  const multiplier = composedMultiplier(inputs.rampup, inputs.correlation);
  cut("CORRELATION_SIZING", floorCents(inputs.targetValue * multiplier - inputs.currentValue));
  if (inputs.maxOrderNotional > 0) cut("MAX_ORDER_NOTIONAL", floorCents(inputs.maxOrderNotional));
  if (Number.isFinite(inputs.positionRoom)) cut("MAX_POSITION_PCT", floorCents(inputs.positionRoom));
  if (size < inputs.minNotional) return { kind: "rejected", asked, code: firstBelow(steps, inputs.minNotional) ?? "BELOW_MIN_NOTIONAL", wanted: size, steps };
  const wanted = size;
  cut("INSUFFICIENT_BUYING_POWER", floorCents(inputs.affordable));
  if (size < inputs.minNotional) return { kind: "rejected", asked, code: "INSUFFICIENT_BUYING_POWER", wanted, steps };
  return { kind: "sized", asked, notional: size, steps };
}

/** The first rule whose cut left the size below the minimum. */
function firstBelow(steps: readonly SizingStep[], minimum: number): ReasonCode | undefined {
  return steps.find((step) => step.after < minimum && step.before >= minimum)?.code;
}
