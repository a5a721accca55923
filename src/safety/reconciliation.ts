/** A symbol whose quantity differs between our books and the broker's. */
export interface PositionMismatch {
  symbol: string;
  internalQty: number;
  brokerQty: number;
  /** brokerQty − internalQty. */
  diff: number;
}

/** Clean when no symbol differs by more than the tolerance. */
export interface ReconciliationResult {
  clean: boolean;
  mismatches: PositionMismatch[];
}

/** Compares share quantities on both sides (a symbol missing on one side counts as 0), sorted by symbol. */
export function reconcilePositions(
  internal: ReadonlyMap<string, number>,
  broker: ReadonlyMap<string, number>,
  tolerance = 1e-6,
): ReconciliationResult {
  const symbols = [...new Set([...internal.keys(), ...broker.keys()])].sort(byCodeUnit);
  const mismatches: PositionMismatch[] = [];
  for (const symbol of symbols) {
    const internalQty = internal.get(symbol) ?? 0;
    const brokerQty = broker.get(symbol) ?? 0;
    const diff = brokerQty - internalQty;
    // `!(≤)` so a NaN quantity on either side is a mismatch, never silently clean.
    if (!(Math.abs(diff) <= tolerance)) mismatches.push({ symbol, internalQty, brokerQty, diff });
  }
  return { clean: mismatches.length === 0, mismatches };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
