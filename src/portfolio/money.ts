/**
 * Rounding for money and share quantities, used project-wide so every amount is rounded once, explicitly.
 *
 * - Money settles in whole cents; `roundCents` rounds half away from zero, `floorCents` rounds toward −∞.
 * - Quantities carry 9 decimals (Alpaca's fractional precision); `floorQty` sizes orders, so a float error
 *   can never round an order up past what cash or holdings allow.
 * - Binary floats store 1.005 as 1.00499999999999989…; each helper scales to an integer count of units
 *   and adds a tiny epsilon so such noise lands on the decimal the caller meant: 1e-14 of the scaled value
 *   (~45 float ulps), capped at 0.001 unit so no value further than that below a boundary ever crosses it.
 *   Past ~1e11 units ($1bn in cents, 100 shares at 9 decimals) noise can outgrow the cap; a result may then
 *   come out one unit low, never high.
 * - Non-finite input throws: a NaN must never become an order.
 */

const CENTS_PER_DOLLAR = 100;
/** Decimal places Alpaca accepts on fractional share quantities. */
export const QTY_DECIMALS = 9;
const QTY_UNITS_PER_SHARE = 10 ** QTY_DECIMALS;
/** Float noise after a few operations is a few ulps (~1e-15 relative); this clears it with margin. */
const RELATIVE_EPSILON = 1e-14;
/** Far below half a unit, so the epsilon can never push a value across a rounding boundary by itself. */
const MAX_EPSILON_UNITS = 1e-3;

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
  return Math.min(MAX_EPSILON_UNITS, RELATIVE_EPSILON * Math.max(1, Math.abs(scaled)));
}

function requireFinite(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} needs a finite number, got ${value}`);
  return value;
}
