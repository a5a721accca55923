import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeIndicator, lookbackOf, momentum, sma } from "../../src/strategies/index.js";
import { barStore, type Closes } from "./fixtures.js";

function series(closes: Closes) {
  return barStore({ X: closes }).series("X");
}

/** The last `count` present closes up to `index`, or null when fewer exist. */
function presentWindow(closes: Closes, index: number, count: number): number[] | null {
  const present = closes.slice(0, index + 1).filter((close): close is number => close !== null);
  return present.length < count ? null : present.slice(present.length - count);
}

function referenceSma(closes: Closes, index: number, period: number): number {
  const window = presentWindow(closes, index, period);
  if (window === null || window.some((close) => !Number.isFinite(close))) return Number.NaN;
  return window.reduce((sum, close) => sum + close, 0) / period;
}

function referenceMomentum(closes: Closes, index: number, period: number): number {
  const window = presentWindow(closes, index, period + 1);
  if (window === null || window.some((close) => !Number.isFinite(close)) || window[0] === 0) return Number.NaN;
  return window[period] / window[0] - 1;
}

function expectSameNumber(actual: number, expected: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const randomCloses = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 12, arbitrary: fc.double({ min: 0.01, max: 1e5, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(Number.NaN) },
  ),
  { minLength: 1, maxLength: 60 },
);

describe("sma", () => {
  it("averages the last period closes up to the session", () => {
    const bars = series([1, 2, 3, 4, 5]);

    expect(sma(bars, 4, 3)).toBe(4);
    expect(sma(bars, 2, 3)).toBe(2);
    expect(sma(bars, 4, 5)).toBe(3);
  });

  it("is NaN when fewer than period bars exist", () => {
    expect(sma(series([1, 2, 3]), 1, 3)).toBeNaN();
  });

  it("skips sessions where no bar arrived", () => {
    const bars = series([1, null, 3, null, 5]);

    expect(sma(bars, 4, 3)).toBe(3);
    expect(sma(bars, 3, 2)).toBe(2);
    expect(sma(bars, 4, 4)).toBeNaN();
  });

  it("is NaN when a close inside the window is not finite", () => {
    const bars = series([1, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 6]);

    expect(sma(bars, 3, 2)).toBe(3.5);
    expect(sma(bars, 3, 3)).toBeNaN();
    expect(sma(bars, 5, 2)).toBeNaN();
  });

  it("is NaN for a period that is not a whole number of at least one", () => {
    const bars = series([1, 2, 3]);

    expect(sma(bars, 2, 0)).toBeNaN();
    expect(sma(bars, 2, 1.5)).toBeNaN();
  });

  it("matches a naive reference on random series with gaps", () => {
    fc.assert(
      fc.property(randomCloses, fc.nat(), fc.integer({ min: 1, max: 20 }), (closes, rawIndex, period) => {
        const index = rawIndex % closes.length;

        expectSameNumber(sma(series(closes), index, period), referenceSma(closes, index, period));
      }),
      { seed: 20240101, numRuns: 500 },
    );
  });
});

describe("momentum", () => {
  it("compares the latest close with the close period bars earlier", () => {
    const bars = series([100, 110, 121]);

    expect(momentum(bars, 2, 1)).toBeCloseTo(0.1, 12);
    expect(momentum(bars, 2, 2)).toBeCloseTo(0.21, 12);
  });

  it("needs period plus one bars", () => {
    expect(momentum(series([100, 110, 121]), 2, 3)).toBeNaN();
  });

  it("counts only sessions where a bar arrived", () => {
    const bars = series([100, null, 110, null, 121, null]);

    expect(momentum(bars, 4, 2)).toBeCloseTo(0.21, 12);
    expect(momentum(bars, 5, 2)).toBeCloseTo(0.21, 12);
  });

  it("is NaN when a close inside the window is not finite or the base close is zero", () => {
    expect(momentum(series([100, Number.NaN, 121]), 2, 2)).toBeNaN();
    expect(momentum(series([0, 110, 121]), 2, 2)).toBeNaN();
  });

  it("matches a naive reference on random series with gaps", () => {
    fc.assert(
      fc.property(randomCloses, fc.nat(), fc.integer({ min: 1, max: 20 }), (closes, rawIndex, period) => {
        const index = rawIndex % closes.length;

        expectSameNumber(momentum(series(closes), index, period), referenceMomentum(closes, index, period));
      }),
      { seed: 20240102, numRuns: 500 },
    );
  });
});

describe("computeIndicator", () => {
  it("dispatches on the indicator kind", () => {
    const bars = series([100, 110, 121]);

    expect(computeIndicator(bars, 2, { kind: "sma", period: 2 })).toBe(115.5);
    expect(computeIndicator(bars, 2, { kind: "momentum", period: 1 })).toBeCloseTo(0.1, 12);
  });

  it("rejects an unknown kind", () => {
    const spec = { kind: "ema", period: 2 } as unknown as Parameters<typeof computeIndicator>[2];

    expect(() => computeIndicator(series([1, 2]), 1, spec)).toThrow("unknown indicator kind ema");
  });
});

describe("lookbackOf", () => {
  it("is the longest period", () => {
    const specs = [
      { kind: "sma", period: 50 },
      { kind: "momentum", period: 126 },
      { kind: "sma", period: 20 },
    ] as const;

    expect(lookbackOf(specs)).toBe(126);
  });

  it("is zero without indicators", () => {
    expect(lookbackOf([])).toBe(0);
  });
});
