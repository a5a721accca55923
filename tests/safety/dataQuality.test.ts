import fc from "fast-check";
import { describe, it, expect } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { BarStore, type SymbolBars } from "../../src/data/barStore.js";
import { momentum, sma } from "../../src/strategies/index.js";
import {
  acceptedBars,
  checkSymbolQuality,
  isAcceptedBar,
  dataQualitySummary,
  lastGoodClose,
  stalenessSessionsFromHours,
  type DataQualityConfig,
  type ReasonCode,
} from "../../src/safety/index.js";

const CONFIG: DataQualityConfig = { stalenessSessions: 3, maxNanPct: 0.1, minHistoryBars: 5, outlierMaxMove: 0.5, lookback: 10 };

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
}

/** A series on a session axis: a number is a ±1 % bar around that close, `null` no bar, a Bar object exactly that bar. */
function series(bars: readonly (number | Bar | null)[]): SymbolBars {
  const out = BarStore.emptySeries("SPY", bars.length);
  bars.forEach((bar, i) => {
    if (bar === null) return;
    const { open, high, low, close, volume = 1000 } =
      typeof bar === "number" ? { open: bar, high: bar * 1.01, low: bar * 0.99, close: bar } : bar;
    [out.open[i], out.high[i], out.low[i], out.close[i], out.volume[i], out.present[i]] = [open, high, low, close, volume, 1];
  });
  return out;
}

const flat = (length: number, close = 100): number[] => Array.from({ length }, () => close);
const codes = (bars: SymbolBars, index: number, indicatorBars?: number): ReasonCode[] =>
  checkSymbolQuality(bars, index, CONFIG, indicatorBars).reasons.map((reason) => reason.code);

describe("data quality: staleness", () => {
  it("converts hours to sessions, rounding up", () => {
    expect([24, 25, 48, 72].map(stalenessSessionsFromHours)).toEqual([1, 2, 2, 3]);
  });

  it("blocks a symbol after three sessions without a bar but not after two", () => {
    const bars = series([...flat(8), null, null, null]);

    expect(codes(bars, 9)).toEqual([]);
    expect(codes(bars, 10)).toEqual(["STALE_DATA"]);
    expect(checkSymbolQuality(bars, 10, CONFIG).reasons[0].detail).toBe("missing=3 limit=3");
  });

  it("never calls a fully present series stale across weekends and holidays", () => {
    const start = fc.integer({ min: 0, max: 8000 }).map((offset) => new Date(Date.UTC(1995, 0, 1 + offset)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(start, fc.integer({ min: 5, max: 60 }), (from, calendarDays) => {
        const to = new Date(Date.parse(from) + calendarDays * 86_400_000).toISOString().slice(0, 10);
        const sessions = nyseCalendar.sessionsBetween(from, to);
        const bars = series(flat(sessions.length));
        return sessions.every((_, i) => !codes(bars, i).includes("STALE_DATA"));
      }),
      { seed: 1987, numRuns: 200 },
    );
  });
});

describe("data quality: non-finite values, history and indicators", () => {
  it("blocks a current bar with a NaN field", () => {
    const bars = series([...flat(6), { open: 100, high: 101, low: 99, close: Number.NaN }]);

    expect(codes(bars, 6)).toEqual(["NAN_VALUES"]);
  });

  it("blocks when the share of broken bars in the look-back exceeds the limit", () => {
    const broken: Bar = { open: 100, high: 101, low: 99, close: 100, volume: Number.NaN };
    const oneBroken = series([...flat(9), broken, ...flat(5)]);
    const twoBroken = series([...flat(8), broken, broken, ...flat(10)]);

    expect(codes(oneBroken, 14)).toEqual([]);
    expect(codes(twoBroken, 14)).toEqual(["NAN_VALUES"]);
    expect(codes(twoBroken, 19)).toEqual([]);
  });

  it("counts only present bars as history", () => {
    const bars = series([100, null, 100, null, 100, 100, null]);

    expect(codes(bars, 5)).toEqual(["INSUFFICIENT_HISTORY"]);
    expect(checkSymbolQuality(bars, 5, CONFIG).reasons[0].detail).toBe("good_bars=4 required=5");
  });

  it("does not count a rejected bar as history", () => {
    const bars = series([100, 100, 1, 100, 100, { open: 100, high: 101, low: 99, close: Number.NaN }, 100]);
    const tolerant = { ...CONFIG, maxNanPct: 0.5 };

    expect(checkSymbolQuality(bars, 5, tolerant).reasons).toContainEqual({ code: "INSUFFICIENT_HISTORY", detail: "good_bars=4 required=5" });
    expect(checkSymbolQuality(bars, 6, tolerant).reasons).toEqual([]);
  });

  it("reports missing indicators when fewer good bars exist than the indicators need", () => {
    const bars = series(flat(6));

    expect(codes(bars, 5, 7)).toEqual(["MISSING_INDICATORS"]);
    expect(checkSymbolQuality(bars, 5, CONFIG, 7).reasons[0].detail).toBe("good_bars=6 required=7");
    expect(codes(bars, 5, 6)).toEqual([]);
  });

  it("does not count a NaN bar towards an indicator's bars", () => {
    const bars = series([...flat(5), { open: 100, high: 101, low: 99, close: Number.NaN }, 100]);
    const tolerant = { ...CONFIG, maxNanPct: 0.5 };

    expect(checkSymbolQuality(bars, 6, tolerant, 7).reasons.map((reason) => reason.code)).toEqual(["MISSING_INDICATORS"]);
    expect(checkSymbolQuality(bars, 6, tolerant, 6).reasons).toEqual([]);
  });
});

describe("data quality: price outliers", () => {
  it("flags a close more than 50 % away from the previous good close", () => {
    const bars = series([...flat(6), 160]);

    expect(codes(bars, 6)).toEqual(["PRICE_OUTLIER"]);
    expect(checkSymbolQuality(bars, 6, CONFIG).reasons[0].detail).toBe("move=0.6000 limit=0.5000 close=160 prev_close=100");
  });

  it("does not flag real crash days", () => {
    const blackMonday = series([...flat(5, 282.7), { open: 282.7, high: 282.7, low: 224.83, close: 224.84 }]);
    const covidMonday = series([...flat(5, 2711.02), { open: 2508.59, high: 2562.98, low: 2380.94, close: 2386.13 }]);

    expect(codes(blackMonday, 5)).toEqual([]);
    expect(codes(covidMonday, 5)).toEqual([]);
  });

  it("flags bars with non-positive prices or a close outside their own range", () => {
    const cases: Bar[] = [
      { open: 0, high: 101, low: 0, close: 100 },
      { open: 100, high: 99, low: 101, close: 100 },
      { open: 100, high: 101, low: 99, close: 102 },
    ];
    for (const bad of cases) expect(codes(series([...flat(6), bad]), 6)).toEqual(["PRICE_OUTLIER"]);
  });

  it("blocks only a bad tick's own session: the real bar after it is measured from the last good close", () => {
    const bars = series([...flat(6), 10, 101]);

    expect(codes(bars, 6)).toEqual(["PRICE_OUTLIER"]);
    expect(codes(bars, 7)).toEqual([]);
  });

  it("accepts a lasting level shift after two sessions", () => {
    const bars = series([...flat(6), 300, 301, 302]);

    expect([codes(bars, 6), codes(bars, 7), codes(bars, 8)]).toEqual([["PRICE_OUTLIER"], ["PRICE_OUTLIER"], []]);
  });

  it("measures the move from the last present, finite, sane bar", () => {
    const bars = series([...flat(6), null, { open: 100, high: 101, low: 99, close: Number.NaN }, { open: 1, high: 1, low: 2, close: 1 }, 130]);
    const tolerant = { ...CONFIG, maxNanPct: 0.5 };

    expect(checkSymbolQuality(bars, 9, tolerant).reasons).toEqual([]);
  });
});

describe("data quality: last good close", () => {
  it("keeps the last sound close through a bad tick, so a spike cannot fake a drawdown", () => {
    const bars = series([...flat(6), 10, 101]);

    expect(checkSymbolQuality(bars, 6, CONFIG).lastGoodClose).toBe(100);
    expect(checkSymbolQuality(bars, 7, CONFIG).lastGoodClose).toBe(101);
    expect(lastGoodClose(series([...flat(6), 10, 101, 102]), 8, 0.5)).toBe(102);
  });

  it("skips absent and NaN bars and is NaN when no bar was ever good", () => {
    const bars = series([100, 104, null, { open: 1, high: 1, low: 1, close: Number.NaN }]);

    expect(lastGoodClose(bars, 3, 0.5)).toBe(104);
    expect(lastGoodClose(series([null, null]), 1, 0.5)).toBeNaN();
  });
});

describe("data quality: summary", () => {
  it("lists each blocked symbol on its own line with codes and details", () => {
    const text = dataQualitySummary("2024-03-15", [
      { symbol: "SPY", reasons: [{ code: "STALE_DATA", detail: "missing=3 limit=3" }] },
      { symbol: "AAPL", reasons: [{ code: "NAN_VALUES", detail: "current=non-finite" }, { code: "PRICE_OUTLIER", detail: "move=0.6000" }] },
    ]);

    expect(text).toBe(
      [
        "Data quality 2024-03-15: 2 symbols blocked.",
        "  SPY   STALE_DATA (missing=3 limit=3)",
        "  AAPL  NAN_VALUES (current=non-finite); PRICE_OUTLIER (move=0.6000)",
      ].join("\n"),
    );
  });

  it("says so when nothing is blocked", () => {
    expect(dataQualitySummary("2024-03-15", [])).toBe("Data quality 2024-03-15: no symbols blocked.");
  });
});

describe("data quality: a bad bar does not poison what comes after it", () => {
  const RULES: DataQualityConfig = { stalenessSessions: 3, maxNanPct: 0.1, minHistoryBars: 30, outlierMaxMove: 0.5, lookback: 20 };
  const PERIODS = [1, 2, 5, 13, 40];

  /** A random walk of at most ±5 % a session; `gaps` are sessions without a bar. */
  function walk(moves: readonly number[], gaps: readonly number[]): SymbolBars {
    let close = 100;
    return series(
      moves.map((move, i) => {
        const open = close;
        close = open * (1 + move);
        const bar = { open, close, high: Math.max(open, close) * 1.01, low: Math.min(open, close) * 0.99 };
        return gaps.includes(i) ? null : bar;
      }),
    );
  }

  type BadKind = "nan" | "insane" | "tick";
  function spoil(bars: SymbolBars, index: number, kind: BadKind, factor: number): void {
    if (kind === "nan") bars.close[index] = Number.NaN;
    if (kind === "insane") [bars.low[index], bars.high[index]] = [bars.high[index], bars.low[index] * 0.9];
    if (kind === "tick") for (const field of ["open", "high", "low", "close"] as const) bars[field][index] *= factor;
    bars.present[index] = 1;
  }

  function withoutBar(bars: SymbolBars, index: number): SymbolBars {
    const copy = { ...bars, present: bars.present.slice() };
    copy.present[index] = 0;
    return copy;
  }

  function everythingAt(bars: SymbolBars, index: number) {
    const accepted = acceptedBars(bars, RULES.outlierMaxMove);
    return {
      quality: checkSymbolQuality(bars, index, RULES, 41),
      sma: PERIODS.map((period) => sma(bars, index, period, accepted)),
      momentum: PERIODS.map((period) => momentum(bars, index, period, accepted)),
    };
  }

  const scenario = fc.record({
    moves: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 40, maxLength: 140 }),
    gaps: fc.uniqueArray(fc.nat(139), { maxLength: 5 }),
    at: fc.nat(),
    kind: fc.constantFrom<BadKind>("nan", "insane", "tick"),
    factor: fc.oneof(fc.double({ min: 0.005, max: 0.3, noNaN: true }), fc.double({ min: 3, max: 200, noNaN: true })),
  });

  it("gives every later verdict and indicator the values of the same data with the bad bar deleted", () => {
    fc.assert(
      fc.property(scenario, ({ moves, gaps, at, kind, factor }) => {
        // Past the first look-back, so one bad bar is under MAX_NAN_PCT (1 of >= 15 present bars in any window).
        const bad = RULES.lookback + (at % (moves.length - RULES.lookback));
        const spoiled = walk(moves, gaps);
        spoil(spoiled, bad, kind, factor);
        const deleted = withoutBar(spoiled, bad);
        for (let i = bad + 1; i < moves.length; i++) {
          expect(everythingAt(spoiled, i), `session ${i}, bad bar at ${bad}`).toEqual(everythingAt(deleted, i));
        }
      }),
      { seed: 2029, numRuns: 150 },
    );
  });

  it("blocks the bad bar's own session", () => {
    for (const kind of ["nan", "insane", "tick"] as const) {
      const bars = walk(new Array(40).fill(0.01), []);
      spoil(bars, 30, kind, 10);

      expect(checkSymbolQuality(bars, 30, RULES).blocked, kind).toBe(true);
    }
  });

  it("decides a bar's verdict from it and earlier bars only, so later bars never change it", () => {
    const bars = walk(new Array(40).fill(0.01), []);
    const before = Array.from({ length: 30 }, (_, i) => isAcceptedBar(bars, i, 0.5));
    spoil(bars, 30, "tick", 50);
    spoil(bars, 31, "nan", 1);

    expect(Array.from({ length: 30 }, (_, i) => isAcceptedBar(bars, i, 0.5))).toEqual(before);
  });
});

describe("data quality at the first bar and at exact limits", () => {
  const one = (bar: Bar) => series([bar]);

  it("accepts a bar whose open or close sits on its low or high, and a bar with no range", () => {
    expect(isAcceptedBar(one({ open: 99, high: 101, low: 99, close: 101 }), 0, 0.5)).toBe(true);
    expect(isAcceptedBar(one({ open: 100, high: 100, low: 100, close: 100 }), 0, 0.5)).toBe(true);
  });

  it("rejects a bar with any one field non-finite", () => {
    for (const field of ["open", "high", "low", "close", "volume"] as const) {
      const bar = { open: 100, high: 101, low: 99, close: 100, volume: 1000, [field]: Number.NaN };
      expect(isAcceptedBar(one(bar), 0, 0.5), field).toBe(false);
    }
  });

  it("uses the very first bar as a mark, a reference and history", () => {
    const bars = series([100, null, 120]);

    expect(lastGoodClose(bars, 1, 0.5)).toBe(100);
    expect(codes(bars, 2)).toEqual(["INSUFFICIENT_HISTORY"]);
    expect(checkSymbolQuality(bars, 2, { ...CONFIG, minHistoryBars: 2 }).blocked).toBe(false);
    // 100 → 160 is a 60 % move from the first bar, the only reference
    expect(codes(series([100, 160]), 1, undefined)).toContain("PRICE_OUTLIER");
    expect(codes(series([100, 150]), 1)).not.toContain("PRICE_OUTLIER");
  });

  it("counts missing sessions back to the first bar and no further than the limit", () => {
    expect(checkSymbolQuality(series([null, null]), 1, { ...CONFIG, stalenessSessions: 2 }).reasons[0]).toEqual({ code: "STALE_DATA", detail: "missing=2 limit=2" });
    expect(checkSymbolQuality(series([null, null, null, null]), 3, CONFIG).reasons.find((reason) => reason.code === "STALE_DATA")?.detail).toBe("missing=3 limit=3");
  });

  it("says whether the current bar or the window's share blocked a NaN, and over which window", () => {
    const broken: Bar = { open: 100, high: 101, low: 99, close: 100, volume: Number.NaN };

    expect(checkSymbolQuality(series([...flat(9), broken]), 9, CONFIG).reasons.find((reason) => reason.code === "NAN_VALUES")?.detail).toBe("current=non-finite nan_pct=0.1000 limit=0.1000 window=10");
    expect(checkSymbolQuality(series([...flat(7), broken, broken, 100]), 9, CONFIG).reasons.find((reason) => reason.code === "NAN_VALUES")?.detail).toBe("current=ok nan_pct=0.2000 limit=0.1000 window=10");
    // the window is the last ten sessions: two broken bars just before it do not count
    expect(codes(series([broken, broken, ...flat(10)]), 11)).toEqual([]);
  });

  it("is not blocked when nothing is wrong, and blocked with one reason", () => {
    expect(checkSymbolQuality(series(flat(6)), 5, CONFIG)).toMatchObject({ blocked: false, reasons: [] });
    expect(checkSymbolQuality(series(flat(4)), 3, CONFIG).blocked).toBe(true);
  });

  it("accepts a move of exactly the limit", () => {
    expect(codes(series([...flat(5), 150]), 5)).toEqual([]);
    expect(isAcceptedBar(series([...flat(5), 150]), 5, 0.5)).toBe(true);
    expect(lastGoodClose(series([...flat(5), 150]), 5, 0.5)).toBe(150);
    // a bar that moved exactly the limit is the next bar's reference: 151 is 0.7 % from 150, not 51 % from 100
    expect(isAcceptedBar(series([100, 150, 151]), 2, 0.5)).toBe(true);
  });

  it("takes a jump at the second bar as an outlier for two sessions, the very first bar being its reference", () => {
    const bars = series([100, 200, 200, 200]);

    expect([0, 1, 2, 3].map((i) => isAcceptedBar(bars, i, 0.5))).toEqual([true, false, false, true]);
  });

  it("counts a NaN open or high alone as a non-finite bar (NAN_VALUES), not as an outlier", () => {
    for (const field of ["open", "high"] as const) {
      const bar = { open: 100, high: 101, low: 99, close: 100, [field]: Number.NaN };
      expect(codes(series([...flat(9), bar]), 9), field).toEqual(["NAN_VALUES"]);
    }
    expect(codes(series([...flat(9), { open: 100, high: 101, low: 99, close: Number.NaN }]), 9)).toEqual(["NAN_VALUES"]);
  });

  it("rejects a bar that opened below its own low", () => {
    const bars = series([...flat(9), { open: 98, high: 101, low: 99, close: 100 }]);

    expect(isAcceptedBar(bars, 9, 0.5)).toBe(false);
    expect(checkSymbolQuality(bars, 9, CONFIG).reasons).toEqual([{ code: "PRICE_OUTLIER", detail: "insane bar open=98 high=101 low=99 close=100" }]);
  });

  it("judges a missing session by its absence only, whatever values the feed left in it", () => {
    const bars = series([...flat(9), 500]);
    bars.present[9] = 0;

    expect(codes(bars, 9)).toEqual([]);
  });

  it("does not call a symbol stale whose whole history is shorter than the limit", () => {
    expect(codes(series([null, null]), 1, undefined)).not.toContain("STALE_DATA");
    expect(checkSymbolQuality(series([null, null]), 1, { ...CONFIG, minHistoryBars: 0 }).blocked).toBe(false);
  });

  it("measures the NaN share over exactly `lookback` sessions, the current one included", () => {
    const broken: Bar = { open: 100, high: 101, low: 99, close: 100, volume: Number.NaN };
    const strict = { ...CONFIG, maxNanPct: 0 };

    expect(checkSymbolQuality(series([broken, ...flat(10)]), 10, strict).blocked).toBe(false);
    expect(checkSymbolQuality(series([broken, ...flat(9)]), 9, strict).reasons).toEqual([{ code: "NAN_VALUES", detail: "current=ok nan_pct=0.1000 limit=0.0000 window=10" }]);
  });

  it("writes one symbol or several in the summary", () => {
    const reasons = [{ code: "STALE_DATA" as const, detail: "missing=3 limit=3" }];

    expect(dataQualitySummary("2021-01-04", [{ symbol: "AAA", reasons }])).toBe("Data quality 2021-01-04: 1 symbol blocked.\n  AAA  STALE_DATA (missing=3 limit=3)");
    expect(dataQualitySummary("2021-01-04", [{ symbol: "AAA", reasons }, { symbol: "BB", reasons }]).split("\n")[0]).toBe("Data quality 2021-01-04: 2 symbols blocked.");
  });
});
