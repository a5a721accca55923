import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { floorCents, floorQty, isZeroQty, roundCents, roundQty } from "../../src/portfolio/index.js";

const dollars = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
const shares = fc.double({ min: -1e5, max: 1e5, noNaN: true, noDefaultInfinity: true });
const FAST_CHECK = { seed: 20240105, numRuns: 500 };
const cents = fc.integer({ min: -100_000_000_000, max: 100_000_000_000 });

/** How far a floor may land above its input: the helpers' 0.001-unit epsilon plus float representation. */
function slack(value: number, unitsPerWhole: number): number {
  return 1e-3 / unitsPerWhole + Math.abs(value) * 1e-15;
}

/** Distance of `value × scale` from the nearest integer: 0 when `value` has at most log10(scale) decimals. */
function offGrid(value: number, scale: number): number {
  return Math.abs(value * scale - Math.round(value * scale));
}

describe("roundCents", () => {
  it("rounds half-cent amounts away from zero despite binary float noise", () => {
    expect([roundCents(1.005), roundCents(-1.005), roundCents(0.125), roundCents(2.675)]).toEqual([1.01, -1.01, 0.13, 2.68]);
  });

  it("rounds every exact half cent away from zero", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (whole) => {
        expect(roundCents((2 * whole + 1) / 200)).toBe((whole + 1) / 100);
        expect(roundCents(-(2 * whole + 1) / 200)).toBe(-(whole + 1) / 100);
      }),
      FAST_CHECK,
    );
  });

  it("lands on whole cents within half a cent of the input", () => {
    fc.assert(
      fc.property(dollars, (amount) => {
        const rounded = roundCents(amount);
        expect(offGrid(rounded, 100)).toBeLessThan(1e-3);
        expect(Math.abs(rounded - amount)).toBeLessThanOrEqual(0.005 + slack(amount, 100));
      }),
      FAST_CHECK,
    );
  });

  it("is idempotent and symmetric around zero", () => {
    fc.assert(
      fc.property(dollars, (amount) => {
        expect(roundCents(roundCents(amount))).toBe(roundCents(amount));
        expect(roundCents(-amount)).toBe(-roundCents(amount) + 0);
      }),
      FAST_CHECK,
    );
  });

  it("refuses non-finite amounts", () => {
    expect(() => roundCents(Number.NaN)).toThrow(RangeError);
  });
});

describe("floorCents", () => {
  it("keeps whole-cent amounts whose float is a hair below the cent", () => {
    expect([floorCents(0.29), floorCents(1.15), floorCents(0.1 + 0.2)]).toEqual([0.29, 1.15, 0.3]);
  });

  it("returns every whole-cent amount unchanged", () => {
    fc.assert(fc.property(cents, (count) => {
        expect(floorCents(count / 100)).toBe(count / 100);
      }),
      FAST_CHECK,
    );
  });

  it("never rounds up by more than float noise and never drops a whole cent", () => {
    fc.assert(
      fc.property(dollars, (amount) => {
        const floored = floorCents(amount);
        expect(floored).toBeLessThanOrEqual(amount + slack(amount, 100));
        expect(amount - floored).toBeLessThan(0.01);
      }),
      FAST_CHECK,
    );
  });
});

describe("share quantities", () => {
  it("rounds quantities to 9 decimals", () => {
    expect([roundQty(1.0000000004), roundQty(1.0000000005), roundQty(1 / 3)]).toEqual([1, 1.000000001, 0.333333333]);
  });

  it("floors to whole shares or to 9 decimals", () => {
    expect([floorQty(1000 / 300, false), floorQty(1000 / 300, true), floorQty(0.3 / 0.1, false)]).toEqual([3, 3.333333333, 3]);
  });

  it("floors to at most 9 decimals without exceeding the input", () => {
    fc.assert(
      fc.property(shares, fc.boolean(), (qty, fractional) => {
        const floored = floorQty(qty, fractional);
        expect(offGrid(floored, fractional ? 1e9 : 1)).toBeLessThan(fractional ? 0.05 : 1e-9);
        const unitsPerShare = fractional ? 1e9 : 1;
        expect(floored).toBeLessThanOrEqual(qty + slack(qty, unitsPerShare));
        expect(qty - floored).toBeLessThan(1 / unitsPerShare + slack(qty, unitsPerShare));
      }),
      FAST_CHECK,
    );
  });

  it("round-trips quantities already at 9 decimals", () => {
    fc.assert(fc.property(shares, (qty) => {
        expect(roundQty(roundQty(qty))).toBe(roundQty(qty));
      }),
      FAST_CHECK,
    );
  });

  it("treats anything under half a billionth of a share as zero", () => {
    expect([isZeroQty(0), isZeroQty(4e-10), isZeroQty(-4e-10), isZeroQty(1e-9)]).toEqual([true, true, true, false]);
  });
});

describe("money helpers: names in errors and the zero boundary", () => {
  it("names the helper that met a non-finite number", () => {
    expect(() => roundCents(Number.NaN)).toThrow("roundCents needs a finite number, got NaN");
    expect(() => floorCents(Number.POSITIVE_INFINITY)).toThrow("floorCents needs a finite number, got Infinity");
    expect(() => roundQty(Number.NaN)).toThrow("roundQty needs a finite number, got NaN");
    expect(() => floorQty(Number.NEGATIVE_INFINITY, true)).toThrow("floorQty needs a finite number, got -Infinity");
  });

  it("calls a quantity zero only below half a unit of the ninth decimal", () => {
    expect(isZeroQty(4.9e-10)).toBe(true);
    expect(isZeroQty(5e-10)).toBe(false);
    expect(isZeroQty(-5e-10)).toBe(false);
  });
});
