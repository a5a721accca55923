import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { BAR_FIELDS, generateSyntheticBars, type SyntheticBarsOptions } from "../../src/data/index.js";

const BASE: SyntheticBarsOptions = { symbols: 3, from: "2015-01-02", to: "2019-12-31", calendar: nyseCalendar, seed: "test" };

function logReturns(close: Float64Array): number[] {
  return Array.from(close.subarray(1), (value, i) => Math.log(value / close[i]));
}

function overnightGaps(open: Float64Array, close: Float64Array): number[] {
  return Array.from(open.subarray(1), (value, i) => Math.log(value / close[i]));
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function stdev(values: number[]): number {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
}

describe("generateSyntheticBars", () => {
  it("puts one bar per calendar session between from and to", () => {
    const store = generateSyntheticBars(BASE);

    expect(store.sessions).toEqual(nyseCalendar.sessionsBetween("2015-01-02", "2019-12-31"));
    expect(store.series("SYN000").present.every((flag) => flag === 1)).toBe(true);
  });

  it("names symbols SYN000, SYN001, … for a count and keeps given names", () => {
    expect(generateSyntheticBars(BASE).symbols).toEqual(["SYN000", "SYN001", "SYN002"]);
    expect(generateSyntheticBars({ ...BASE, symbols: ["AAA", "BBB"] }).symbols).toEqual(["AAA", "BBB"]);
  });

  it("produces identical arrays for the same seed", () => {
    const first = generateSyntheticBars(BASE);
    const second = generateSyntheticBars(BASE);

    for (const symbol of first.symbols) expect(second.series(symbol)).toEqual(first.series(symbol));
  });

  it("produces different paths for different seeds", () => {
    const first = generateSyntheticBars(BASE).series("SYN000");
    const second = generateSyntheticBars({ ...BASE, seed: "other" }).series("SYN000");

    expect(Array.from(second.close)).not.toEqual(Array.from(first.close));
  });

  it("gives a symbol the same path however many symbols are generated", () => {
    const alone = generateSyntheticBars({ ...BASE, symbols: 1 }).series("SYN000");
    const withOthers = generateSyntheticBars({ ...BASE, symbols: 5 }).series("SYN000");

    expect(withOthers).toEqual(alone);
  });

  it("keeps every bar's OHLC consistent, positive and with positive whole volume", () => {
    const store = generateSyntheticBars({ ...BASE, symbols: 20, volatility: 0.6, jumpIntensity: 20 });

    for (const symbol of store.symbols) {
      const { open, high, low, close, volume } = store.series(symbol);
      for (let i = 0; i < store.sessions.length; i++) {
        const ok =
          low[i] > 0 &&
          low[i] <= Math.min(open[i], close[i]) &&
          high[i] >= Math.max(open[i], close[i]) &&
          volume[i] >= 1 &&
          Number.isInteger(volume[i]);
        if (!ok) expect.fail(`${symbol} at ${store.sessions[i]}: ${BAR_FIELDS.map((f) => store.series(symbol)[f][i]).join(",")}`);
      }
    }
  });

  it("starts from startPrice", () => {
    const bars = generateSyntheticBars({ ...BASE, startPrice: 50, volatility: 0, jumpIntensity: 0, drift: 0 }).series("SYN000");

    expect(bars.open[0]).toBe(50);
    expect(bars.close[0]).toBeCloseTo(50, 10);
  });

  it("shows jumps as large overnight gaps only when jumps are switched on", () => {
    const calm = { ...BASE, volatility: 0.1, jumpMean: -0.1, jumpStdev: 0.01 };
    const jumpy = generateSyntheticBars({ ...calm, jumpIntensity: 10 }).series("SYN000");
    const smooth = generateSyntheticBars({ ...calm, jumpIntensity: 0 }).series("SYN000");

    const bigGaps = (gaps: number[]) => gaps.filter((gap) => Math.abs(gap) > 0.05).length;

    expect(bigGaps(overnightGaps(jumpy.open, jumpy.close))).toBeGreaterThan(20);
    expect(bigGaps(overnightGaps(smooth.open, smooth.close))).toBe(0);
  });

  it("matches the requested drift and volatility on average", () => {
    const store = generateSyntheticBars({ ...BASE, symbols: 100, drift: 0.08, volatility: 0.25, jumpIntensity: 0 });
    const returns = store.symbols.flatMap((symbol) => logReturns(store.series(symbol).close));

    expect(mean(returns) * 252).toBeCloseTo(0.08 - 0.25 ** 2 / 2, 1);
    expect(stdev(returns) * Math.sqrt(252)).toBeCloseTo(0.25, 2);
  });

  it("compensates for jumps so the expected return stays at the requested drift", () => {
    const jumps = { intensity: 5, mean: -0.05, stdev: 0.05 };
    const store = generateSyntheticBars({
      ...BASE,
      symbols: 100,
      drift: 0.08,
      volatility: 0.25,
      jumpIntensity: jumps.intensity,
      jumpMean: jumps.mean,
      jumpStdev: jumps.stdev,
    });
    const returns = store.symbols.flatMap((symbol) => logReturns(store.series(symbol).close));
    const meanJumpReturn = Math.exp(jumps.mean + jumps.stdev ** 2 / 2) - 1;
    const expectedLogDrift = 0.08 - 0.25 ** 2 / 2 - jumps.intensity * meanJumpReturn + jumps.intensity * jumps.mean;

    expect(mean(returns) * 252).toBeCloseTo(expectedLogDrift, 1);
  });

  it("rejects a range without sessions and invalid settings", () => {
    expect(() => generateSyntheticBars({ ...BASE, from: "2020-01-04", to: "2020-01-05" })).toThrow(/no NYSE sessions/);
    expect(() => generateSyntheticBars({ ...BASE, symbols: 0 })).toThrow(/positive whole number/);
    expect(() => generateSyntheticBars({ ...BASE, symbols: ["A", "A"] })).toThrow(/duplicate symbol/);
    expect(() => generateSyntheticBars({ ...BASE, volatility: -0.1 })).toThrow(/not negative/);
    expect(() => generateSyntheticBars({ ...BASE, startPrice: Number.NaN })).toThrow(/finite/);
  });
});

/** sha256 over every field of every symbol, as the generator produced them before the market factor existed. */
function barsHash(store: ReturnType<typeof generateSyntheticBars>): string {
  const hash = createHash("sha256");
  for (const symbol of store.symbols) {
    const series = store.series(symbol);
    for (const field of BAR_FIELDS) hash.update(Buffer.from(series[field].buffer));
  }
  return hash.digest("hex");
}

function correlationOf(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean([...xs]);
  const my = mean([...ys]);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe("generateSyntheticBars with a market factor", () => {
  const SMALL: SyntheticBarsOptions = { symbols: 5, from: "2019-01-02", to: "2020-12-31", calendar: nyseCalendar, seed: 7 };

  it("reproduces the bars of before when correlation is unset or 0", () => {
    // Computed with the generator as it was before the factor was added.
    const before = "4d82db73386f140aeafa5ae64de7a6fb2059765b3bb05ce239d3919bce7ccaaf";

    expect(barsHash(generateSyntheticBars(SMALL))).toBe(before);
    expect(barsHash(generateSyntheticBars({ ...SMALL, correlation: 0 }))).toBe(before);
  });

  it("makes every pair of symbols correlate near the requested correlation", () => {
    const options = { ...BASE, symbols: 4, jumpIntensity: 0 };
    for (const target of [0.3, 0.8]) {
      const store = generateSyntheticBars({ ...options, correlation: target });
      const returns = store.symbols.map((symbol) => logReturns(store.series(symbol).close));
      for (let i = 0; i < returns.length; i++) {
        for (let j = i + 1; j < returns.length; j++) expect(correlationOf(returns[i], returns[j])).toBeCloseTo(target, 1);
      }
    }
  });

  it("gives a symbol the same path whatever the order or number of the other symbols", () => {
    const one = generateSyntheticBars({ ...SMALL, symbols: ["AAA", "BBB", "CCC"], correlation: 0.9 });
    const other = generateSyntheticBars({ ...SMALL, symbols: ["CCC", "AAA"], correlation: 0.9 });

    expect(other.series("AAA").close).toEqual(one.series("AAA").close);
    expect(other.series("CCC").open).toEqual(one.series("CCC").open);
  });

  it("rejects a correlation outside [0, 1]", () => {
    expect(() => generateSyntheticBars({ ...SMALL, correlation: 1.5 })).toThrow(/correlation must be in \[0, 1\]/);
    expect(() => generateSyntheticBars({ ...SMALL, correlation: -0.2 })).toThrow(/correlation must be in \[0, 1\]/);
  });
});
