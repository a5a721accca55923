import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SymbolBars } from "../../src/data/barStore.js";
import { barsNeededByAll, computeIndicator, lookbackOf, momentum, sma, type IsAccepted } from "../../src/strategies/index.js";
import { barStore, type Closes } from "./fixtures.js";

function series(closes: Closes): SymbolBars {
  return barStore({ X: closes }).series("X");
}

/** Accepts every present bar with a finite close, except the indices listed as rejected. */
function acceptedExcept(bars: SymbolBars, rejected: readonly number[] = []): IsAccepted {
  return (index) => bars.present[index] === 1 && Number.isFinite(bars.close[index]) && !rejected.includes(index);
}

/** Plain-array reference: the last `count` accepted closes up to `index`, or null when fewer exist. */
function acceptedWindow(closes: Closes, rejected: readonly boolean[], index: number, count: number): number[] | null {
  const good = closes
    .slice(0, index + 1)
    .filter((close, i): close is number => close !== null && Number.isFinite(close) && !rejected[i]);
  return good.length < count ? null : good.slice(good.length - count);
}

function referenceSma(closes: Closes, rejected: readonly boolean[], index: number, period: number): number {
  const window = acceptedWindow(closes, rejected, index, period);
  return window === null ? Number.NaN : window.reduce((sum, close) => sum + close, 0) / period;
}

function referenceMomentum(closes: Closes, rejected: readonly boolean[], index: number, period: number): number {
  const window = acceptedWindow(closes, rejected, index, period + 1);
  return window === null ? Number.NaN : window[period] / window[0] - 1;
}

function expectSameNumber(actual: number, expected: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** Closes with gaps and NaNs, and a mask of bars data quality rejected for other reasons (outliers). */
const randomSeries = fc
  .array(
    fc.record({
      close: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 12, arbitrary: fc.double({ min: 0.01, max: 1e5, noNaN: true }) },
        { weight: 1, arbitrary: fc.constant(Number.NaN) },
      ),
      rejected: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows) => ({ closes: rows.map((row) => row.close), rejected: rows.map((row) => row.rejected) }));

function maskOf(bars: SymbolBars, rejected: readonly boolean[]): IsAccepted {
  return acceptedExcept(bars, rejected.flatMap((isRejected, i) => (isRejected ? [i] : [])));
}

describe("sma", () => {
  it("averages the last period closes up to the session", () => {
    const bars = series([1, 2, 3, 4, 5]);
    const all = acceptedExcept(bars);

    expect(sma(bars, 4, 3, all)).toBe(4);
    expect(sma(bars, 2, 3, all)).toBe(2);
    expect(sma(bars, 4, 5, all)).toBe(3);
  });

  it("is NaN when fewer than period accepted bars exist", () => {
    const bars = series([1, 2, 3]);

    expect(sma(bars, 1, 3, acceptedExcept(bars))).toBeNaN();
    expect(sma(bars, 2, 3, acceptedExcept(bars, [0]))).toBeNaN();
  });

  it("skips sessions where no bar arrived", () => {
    const bars = series([1, null, 3, null, 5]);
    const all = acceptedExcept(bars);

    expect(sma(bars, 4, 3, all)).toBe(3);
    expect(sma(bars, 3, 2, all)).toBe(2);
    expect(sma(bars, 4, 4, all)).toBeNaN();
  });

  it("leaves a rejected bar out of the window: a window of N is the last N accepted bars", () => {
    const bars = series([10, 20, 1000, 30, 40]);

    expect(sma(bars, 4, 3, acceptedExcept(bars, [2]))).toBe(30);
    expect(sma(bars, 4, 4, acceptedExcept(bars, [2]))).toBe(25);
  });

  it("is NaN for a period that is not a whole number of at least one", () => {
    const bars = series([1, 2, 3]);

    expect(sma(bars, 2, 0, acceptedExcept(bars))).toBeNaN();
    expect(sma(bars, 2, 1.5, acceptedExcept(bars))).toBeNaN();
  });

  it("matches a naive reference on random series with gaps and rejected bars", () => {
    fc.assert(
      fc.property(randomSeries, fc.nat(), fc.integer({ min: 1, max: 20 }), ({ closes, rejected }, rawIndex, period) => {
        const index = rawIndex % closes.length;
        const bars = series(closes);

        expectSameNumber(sma(bars, index, period, maskOf(bars, rejected)), referenceSma(closes, rejected, index, period));
      }),
      { seed: 20240101, numRuns: 500 },
    );
  });
});

describe("momentum", () => {
  it("compares the latest close with the close period bars earlier", () => {
    const bars = series([100, 110, 121]);

    expect(momentum(bars, 2, 1, acceptedExcept(bars))).toBeCloseTo(0.1, 12);
    expect(momentum(bars, 2, 2, acceptedExcept(bars))).toBeCloseTo(0.21, 12);
  });

  it("needs period plus one accepted bars", () => {
    const bars = series([100, 110, 121]);

    expect(momentum(bars, 2, 3, acceptedExcept(bars))).toBeNaN();
    expect(momentum(bars, 2, 2, acceptedExcept(bars, [1]))).toBeNaN();
  });

  it("counts only sessions where an accepted bar arrived", () => {
    const bars = series([100, null, 110, 5000, 121, null]);
    const withoutTick = acceptedExcept(bars, [3]);

    expect(momentum(bars, 4, 2, withoutTick)).toBeCloseTo(0.21, 12);
    expect(momentum(bars, 5, 2, withoutTick)).toBeCloseTo(0.21, 12);
  });

  it("is NaN when the base close is zero", () => {
    const bars = series([0, 110, 121]);

    expect(momentum(bars, 2, 2, acceptedExcept(bars))).toBeNaN();
  });

  it("matches a naive reference on random series with gaps and rejected bars", () => {
    fc.assert(
      fc.property(randomSeries, fc.nat(), fc.integer({ min: 1, max: 20 }), ({ closes, rejected }, rawIndex, period) => {
        const index = rawIndex % closes.length;
        const bars = series(closes);

        expectSameNumber(momentum(bars, index, period, maskOf(bars, rejected)), referenceMomentum(closes, rejected, index, period));
      }),
      { seed: 20240102, numRuns: 500 },
    );
  });
});

describe("computeIndicator", () => {
  it("dispatches on the indicator kind", () => {
    const bars = series([100, 110, 121]);

    expect(computeIndicator(bars, 2, { kind: "sma", period: 2 }, acceptedExcept(bars))).toBe(115.5);
    expect(computeIndicator(bars, 2, { kind: "momentum", period: 1 }, acceptedExcept(bars))).toBeCloseTo(0.1, 12);
  });

  it("rejects an unknown kind", () => {
    const spec = { kind: "ema", period: 2 } as unknown as Parameters<typeof computeIndicator>[2];
    const bars = series([1, 2]);

    expect(() => computeIndicator(bars, 1, spec, acceptedExcept(bars))).toThrow("unknown indicator kind ema");
  });
});

describe("lookbackOf and barsNeededByAll", () => {
  const specs = [
    { kind: "sma", period: 50 },
    { kind: "momentum", period: 126 },
    { kind: "sma", period: 20 },
  ] as const;

  it("is the longest period", () => {
    expect(lookbackOf(specs)).toBe(126);
  });

  it("counts momentum's base bar among the bars needed", () => {
    expect(barsNeededByAll(specs)).toBe(127);
    expect(barsNeededByAll([{ kind: "sma", period: 200 }])).toBe(200);
  });

  it("is zero without indicators", () => {
    expect(lookbackOf([])).toBe(0);
    expect(barsNeededByAll([])).toBe(0);
  });
});
