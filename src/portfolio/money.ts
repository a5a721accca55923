/**
 * Rounding for money and share quantities, used project-wide so every amount is rounded once, explicitly.
 *
 * - Money settles in whole cents; `roundCents` rounds half away from zero, `floorCents` rounds toward −∞.
 * - Quantities carry 9 decimals (Alpaca's fractional precision); `floorQty` sizes orders, so a float error
 *   can never round an order up past what cash or holdings allow.
 * - Binary floats store 1.005 as 1.00499999999999989…; each helper scales to an integer count of units
 *   and adds a tiny epsilon (1e-14 of the scaled value, ~45 float ulps) so such noise lands on the
 *   decimal the caller meant. It stays under 0.01 unit up to 1e12 units ($10bn in cents, 1,000 shares
 *   at 9 decimals) and under 0.1 unit up to 1e13, where doubles themselves run out of digits.
 * - Non-finite input throws: a NaN must never become an order.
 */

const CENTS_PER_DOLLAR = 100;
/** Decimal places Alpaca accepts on fractional share quantities. */
export const QTY_DECIMALS = 9;
const QTY_UNITS_PER_SHARE = 10 ** QTY_DECIMALS;
/** Float noise after a few operations is a few ulps (~1e-15 relative); this clears it with margin. */
const RELATIVE_EPSILON = 1e-14;

/** Dollars rounded to cents, half away from zero (1.005 → 1.01, −1.005 → −1.01). */
export function roundCents(amount: number): number {
  return roundHalfAwayFromZero(amount, CENTS_PER_DOLLAR, "roundCents");
}

/** Dollars rounded down to cents (toward −∞), e.g. a cash budget that must not be exceeded. */
export function floorCents(amount: number): number {
  return floorToUnits(amount, CENTS_PER_DOLLAR, "floorCents");
}

/** A share quantity rounded to 9 decimals, half away from zero. */
export function roundQty(qty: number): number {
  return roundHalfAwayFromZero(qty, QTY_UNITS_PER_SHARE, "roundQty");
}

/** A share quantity rounded down to 9 decimals when `fractional`, else to whole shares. */
export function floorQty(qty: number, fractional: boolean): number {
  return floorToUnits(qty, fractional ? QTY_UNITS_PER_SHARE : 1, "floorQty");
}

/** True when `qty` is zero at 9-decimal precision. */
export function isZeroQty(qty: number): boolean {
  return Math.abs(qty) < 0.5 / QTY_UNITS_PER_SHARE;
}

function roundHalfAwayFromZero(value: number, unitsPerWhole: number, name: string): number {
  const scaled = Math.abs(requireFinite(value, name)) * unitsPerWhole;
  const units = Math.floor(scaled + 0.5 + epsilonFor(scaled));
  return units === 0 ? 0 : (Math.sign(value) * units) / unitsPerWhole;
}

function floorToUnits(value: number, unitsPerWhole: number, name: string): number {
  const scaled = requireFinite(value, name) * unitsPerWhole;
  const units = Math.floor(scaled + epsilonFor(scaled));
  return units === 0 ? 0 : units / unitsPerWhole;
}

function epsilonFor(scaled: number): number {
  return RELATIVE_EPSILON * Math.max(1, Math.abs(scaled));
}

function requireFinite(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} needs a finite number, got ${value}`);
  return value;
}
