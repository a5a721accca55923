/** One strategy's claim on equity: its weight when given, else a share of what the weighted ones leave. */
export interface AllocationClaim {
  id: string;
  weight?: number;
}

/** Float slack when summing weights such as 0.1 + 0.2 + 0.7. */
const WEIGHT_SUM_TOLERANCE = 1e-9;

/** Why a set of weights cannot be used, or null when it can: each in (0, 1], the sum at most 1. */
export function allocationProblem(claims: readonly AllocationClaim[]): string | null {
  const weighted = claims.filter((claim) => claim.weight !== undefined);
  const bad = weighted.find((claim) => !(Number.isFinite(claim.weight) && claim.weight! > 0 && claim.weight! <= 1));
  if (bad) return `strategy ${bad.id}: weight ${bad.weight} must be a number in (0, 1]`;
  const sum = weighted.reduce((total, claim) => total + claim.weight!, 0);
  if (sum > 1 + WEIGHT_SUM_TOLERANCE) {
    return `strategy weights sum to ${round(sum)} (${weighted.map((claim) => `${claim.id}=${claim.weight}`).join(", ")}); they must sum to at most 1`;
  }
  return null;
}

/**
 * Each strategy's dollars: equity × its weight, or an equal split of what the weights leave among the
 * strategies without one. With every strategy weighted the rest stays in cash. Assumes valid weights.
 */
export function allocateEquity(equity: number, claims: readonly AllocationClaim[]): Map<string, number> {
  const weightedSum = claims.reduce((total, claim) => total + (claim.weight ?? 0), 0);
  const unweighted = claims.filter((claim) => claim.weight === undefined).length;
  // (equity × rest) / n rather than equity × (rest / n): without weights this is exactly equity / n, as before weights existed.
  const share = unweighted === 0 ? 0 : (equity * Math.max(0, 1 - weightedSum)) / unweighted;
  return new Map(claims.map((claim) => [claim.id, claim.weight === undefined ? share : equity * claim.weight]));
}

/**
 * True when a holding should be traded back to its target: always to open or close a position, otherwise
 * only when its weight is more than `band` off the target weight (absolute, in weight). Band 0 trades
 * every difference, as before the band existed.
 */
export function outsideRebalanceBand(currentWeight: number, targetWeight: number, band: number): boolean {
  if (currentWeight <= 0 || targetWeight <= 0 || band <= 0) return true;
  return Math.abs(currentWeight - targetWeight) > band;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
