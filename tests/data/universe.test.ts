import { describe, expect, it } from "vitest";
import { BarStore, barsBefore, describeBars } from "../../src/data/index.js";

const SESSIONS = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"];

function storeWith(presence: Record<string, number[]>): BarStore {
  const series = Object.entries(presence).map(([symbol, flags]) => {
    const bars = BarStore.emptySeries(symbol, SESSIONS.length);
    bars.present.set(flags);
    return bars;
  });
  return new BarStore(SESSIONS, series);
}

describe("barsBefore", () => {
  const store = storeWith({ GAPPY: [0, 1, 0, 1, 1] });

  it("counts present bars at and before the index", () => {
    expect([0, 1, 2, 3, 4].map((index) => barsBefore(store, "GAPPY", index))).toEqual([0, 1, 1, 2, 3]);
  });

  it("counts nothing before the axis and everything past its end", () => {
    expect(barsBefore(store, "GAPPY", -1)).toBe(0);
    expect(barsBefore(store, "GAPPY", 99)).toBe(3);
  });
});

describe("describeBars", () => {
  it("reports each symbol's first and last bar, bar count and gaps in between", () => {
    const store = storeWith({ FULL: [1, 1, 1, 1, 1], GAPPY: [0, 1, 0, 1, 0], NONE: [0, 0, 0, 0, 0] });

    expect(describeBars(store)).toEqual([
      { symbol: "FULL", first: "2020-01-02", last: "2020-01-08", bars: 5, missing: 0 },
      { symbol: "GAPPY", first: "2020-01-03", last: "2020-01-07", bars: 2, missing: 1 },
      { symbol: "NONE", first: "", last: "", bars: 0, missing: 0 },
    ]);
  });
});
