import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BarStore, type SymbolBars } from "../../src/data/index.js";
import {
  BarVerdicts, correlationSizing, pairedReturns, pearson, symbolCorrelation, symbolCorrelationOf, windowReturns, type PairCorrelation,
} from "../../src/safety/index.js";

const SETTINGS = { lookback: 5, threshold: 0.7, sizingPct: 0.5, outlierMaxMove: 0.5 };

/** A series of good bars at these closes (open = close, a 1% range around it). */
function barsOf(symbol: string, closes: readonly number[]): SymbolBars {
  const bars = BarStore.emptySeries(symbol, closes.length);
  closes.forEach((close, i) => {
    bars.open[i] = close;
    bars.close[i] = close;
    bars.high[i] = close * 1.01;
    bars.low[i] = close * 0.99;
    bars.volume[i] = 1000;
    bars.present[i] = 1;
  });
  return bars;
}

/** Closes from daily moves in (-10%, +10%), starting at 100. */
function closesFrom(moves: readonly number[]): number[] {
  const closes = [100];
  for (const move of moves) closes.push(closes.at(-1)! * (1 + move));
  return closes;
}

const moves = (length: number) => fc.array(fc.double({ min: -0.09, max: 0.09, noNaN: true }), { minLength: length, maxLength: length });

describe("pearson", () => {
  it("is 1 for series that move together, -1 for opposite ones and NaN without variance", () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearson([1], [1])).toBeNaN();
  });
});

describe("pairedReturns", () => {
  it("takes the newest lookback returns of sessions where both symbols had a good bar", () => {
    const a = barsOf("A", [100, 101, 102, 103, 104, 105, 106, 107]);
    const b = barsOf("B", [50, 51, 52, 53, 54, 55, 56, 57]);

    const [ra, rb] = pairedReturns(a, b, 7, 3, 0.5)!;

    expect(ra).toEqual([Math.log(107 / 106), Math.log(106 / 105), Math.log(105 / 104)]);
    expect(rb).toEqual([Math.log(57 / 56), Math.log(56 / 55), Math.log(55 / 54)]);
  });

  it("skips a session data quality rejects (a NaN close, a missing bar or an outlier) for both symbols", () => {
    const a = barsOf("A", [100, 101, 102, 103, 104, 105]);
    const b = barsOf("B", [50, 51, 52, 53, 54, 55]);
    a.close[4] = Number.NaN;
    b.present[2] = 0;

    const [ra, rb] = pairedReturns(a, b, 5, 2, 0.5)!;

    expect(ra).toEqual([Math.log(105 / 103), Math.log(103 / 101)]);
    expect(rb).toEqual([Math.log(55 / 53), Math.log(53 / 51)]);

    const spiky = barsOf("S", [100, 101, 300, 102, 103, 104]);
    const [rs] = pairedReturns(spiky, barsOf("B", [50, 51, 52, 53, 54, 55]), 5, 4, 0.5)!;
    expect(rs).toEqual([Math.log(104 / 103), Math.log(103 / 102), Math.log(102 / 101), Math.log(101 / 100)]);
  });

  it("is null when fewer good sessions than the lookback exist, so a short history never measures a correlation", () => {
    const a = barsOf("A", [100, 101, 102]);
    const b = barsOf("B", [50, 51, 52]);

    expect(pairedReturns(a, b, 2, 3, 0.5)).toBeNull();
    expect(symbolCorrelation(a, b, 2, SETTINGS)).toBeNaN();
  });
});

describe("correlationSizing", () => {
  it("scales an entry by CORRELATION_SIZING_PCT when the highest correlation reaches the threshold", () => {
    const verdict = correlationSizing([{ symbol: "BBB", correlation: 0.69 }, { symbol: "CCC", correlation: 0.7 }], SETTINGS);

    expect(verdict).toEqual({ applies: true, multiplier: 0.5, highest: { symbol: "CCC", correlation: 0.7 } });
  });

  it("leaves an entry at full size below the threshold, with nothing held, or when no correlation can be measured", () => {
    expect(correlationSizing([{ symbol: "BBB", correlation: 0.69 }], SETTINGS)).toMatchObject({ applies: false, multiplier: 1 });
    expect(correlationSizing([], SETTINGS)).toEqual({ applies: false, multiplier: 1, highest: null });
    expect(correlationSizing([{ symbol: "BBB", correlation: Number.NaN }], SETTINGS)).toEqual({ applies: false, multiplier: 1, highest: null });
  });

  it("is off when CORRELATION_SIZING_PCT is 1", () => {
    expect(correlationSizing([{ symbol: "BBB", correlation: 1 }], { ...SETTINGS, sizingPct: 1 }).applies).toBe(false);
  });

  it("pairs a tie with the first symbol in code-point order", () => {
    const verdict = correlationSizing([{ symbol: "ZZZ", correlation: 0.9 }, { symbol: "AAA", correlation: 0.9 }], SETTINGS);

    expect(verdict.highest?.symbol).toBe("AAA");
  });
});

describe("correlation sizing properties", () => {
  it("never raises an entry's multiplier when a held, perfectly correlated symbol is added", () => {
    fc.assert(
      fc.property(moves(12), fc.array(moves(12), { maxLength: 3 }), fc.double({ min: 0.5, max: 3, noNaN: true }), (own, others, scale) => {
        const entry = barsOf("NEW", closesFrom(own));
        const pairs = (held: SymbolBars[]): PairCorrelation[] =>
          held.map((bars) => ({ symbol: bars.symbol, correlation: symbolCorrelation(entry, bars, 12, SETTINGS) }));
        const held = others.map((path, i) => barsOf(`H${i}`, closesFrom(path)));
        // The same moves at another price level: a perfect correlation.
        const twin = barsOf("TWIN", closesFrom(own).map((close) => close * scale));
        const before = correlationSizing(pairs(held), SETTINGS).multiplier;
        const after = correlationSizing(pairs([...held, twin]), SETTINGS).multiplier;
        expect(after).toBeLessThanOrEqual(before);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it("gives the same verdict whatever the order of the symbols in the data file", () => {
    fc.assert(
      fc.property(moves(12), fc.array(moves(12), { minLength: 1, maxLength: 4 }), fc.nat(), (own, others, rotation) => {
        const series = [barsOf("NEW", closesFrom(own)), ...others.map((path, i) => barsOf(`H${i}`, closesFrom(path)))];
        const shift = rotation % series.length;
        const reordered = [...series.slice(shift), ...series.slice(0, shift)].reverse();
        const verdictFrom = (store: BarStore) => {
          const heldSymbols = store.symbols.filter((symbol) => symbol !== "NEW");
          const pairs = heldSymbols.map((symbol) => ({ symbol, correlation: symbolCorrelation(store.series("NEW"), store.series(symbol), 12, SETTINGS) }));
          return correlationSizing(pairs, SETTINGS);
        };
        const sessions = Array.from({ length: 13 }, (_, i) => `2020-01-${String(i + 1).padStart(2, "0")}`);
        expect(verdictFrom(new BarStore(sessions, reordered))).toEqual(verdictFrom(new BarStore(sessions, series)));
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it("measures the same correlation whichever symbol comes first", () => {
    fc.assert(
      fc.property(moves(12), moves(12), (x, y) => {
        const a = barsOf("A", closesFrom(x));
        const b = barsOf("B", closesFrom(y));
        expect(Object.is(symbolCorrelation(a, b, 12, SETTINGS), symbolCorrelation(b, a, 12, SETTINGS))).toBe(true);
      }),
      { seed: 15, numRuns: 200 },
    );
  });
});

describe("remembered good-bar verdicts", () => {
  it("give the same correlation as judging every bar afresh, bad bars included", () => {
    fc.assert(
      fc.property(moves(30), moves(30), fc.integer({ min: 0, max: 30 }), (movesA, movesB, badAt) => {
        const a = barsOf("AAA", closesFrom(movesA));
        const b = barsOf("BBB", closesFrom(movesB));
        a.close[badAt] = Number.NaN;
        b.present[(badAt + 7) % 31] = 0;
        const index = 30;
        const [verdictsA, verdictsB] = [new BarVerdicts(a, SETTINGS.outlierMaxMove), new BarVerdicts(b, SETTINGS.outlierMaxMove)];
        // Judged once up to the session, as the engine's verdicts are by the time correlations are measured.
        verdictsA.acceptedCount(index, 1);
        verdictsB.acceptedCount(index, 1);
        const remembered = symbolCorrelationOf(a, b, index, SETTINGS.lookback, (i) => verdictsA.isAccepted(i), (i) => verdictsB.isAccepted(i));
        expect(remembered).toBe(symbolCorrelation(a, b, index, SETTINGS));
      }),
    );
  });
});

describe("one symbol's window returns", () => {
  it("give a pair whose bars were all good the correlation walking the pair gives, bit for bit", () => {
    fc.assert(
      fc.property(moves(30), moves(30), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 12 }), (movesA, movesB, index, lookback) => {
        const a = barsOf("AAA", closesFrom(movesA));
        const b = barsOf("BBB", closesFrom(movesB));
        const [returnsA, returnsB] = [windowReturns(a, index, lookback), windowReturns(b, index, lookback)];
        if (index < lookback) {
          expect([returnsA, returnsB]).toEqual([null, null]);
          expect(symbolCorrelation(a, b, index, { ...SETTINGS, lookback })).toBeNaN();
          return;
        }
        expect([returnsA, returnsB]).toEqual(pairedReturns(a, b, index, lookback, SETTINGS.outlierMaxMove));
        expect(pearson(returnsA!, returnsB!)).toBe(symbolCorrelation(a, b, index, { ...SETTINGS, lookback }));
      }),
    );
  });
});

describe("pearson and the highest pair, exactly", () => {
  it("uses the shorter series and measures two points", () => {
    expect(pearson([1, 2, 3], [1, 2])).toBe(1);
    expect(pearson([1, 2], [2, 1])).toBe(-1);
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
  });

  it("takes the highest correlation, and on a tie the first symbol in code-point order", () => {
    const config = { threshold: 0.7, sizingPct: 0.5 };

    expect(correlationSizing([{ symbol: "BBB", correlation: 0.9 }, { symbol: "AAA", correlation: 0.5 }], config).highest?.symbol).toBe("BBB");
    expect(correlationSizing([{ symbol: "AAA", correlation: 0.8 }, { symbol: "BBB", correlation: 0.8 }], config).highest?.symbol).toBe("AAA");
    expect(correlationSizing([{ symbol: "BBB", correlation: 0.8 }, { symbol: "AAA", correlation: 0.8 }], config).highest?.symbol).toBe("AAA");
  });
});
