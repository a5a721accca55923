import { describe, expect, it } from "vitest";
import { changeIndices, consecutiveRuns, periodsOf, sessionIndexer, thinIndices } from "../../src/report/series.js";

describe("chart series helpers", () => {
  it("keeps every k-th point, the ends and every marked index of a long series", () => {
    const kept = thinIndices(5000, [1234, 4999, 7000], 500);

    expect(kept.length).toBeLessThanOrEqual(503);
    expect(kept).toContain(0);
    expect(kept).toContain(4999);
    expect(kept).toContain(1234);
    expect(kept).not.toContain(7000);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it("keeps all points of a series shorter than the limit", () => {
    expect(thinIndices(4, [], 10)).toEqual([0, 1, 2, 3]);
    expect(thinIndices(0)).toEqual([]);
  });

  it("splits states into periods and marks both sides of each change", () => {
    const states = ["ACTIVE", "ACTIVE", "HALTED", "HALTED", "RAMPUP"];

    expect(periodsOf(states)).toEqual([
      { value: "ACTIVE", from: 0, to: 1 },
      { value: "HALTED", from: 2, to: 3 },
      { value: "RAMPUP", from: 4, to: 4 },
    ]);
    expect(changeIndices(states)).toEqual([1, 2, 3, 4]);
  });

  it("groups ascending indices into consecutive runs", () => {
    expect(consecutiveRuns([1, 2, 3, 7, 8, 8, 10])).toEqual([{ from: 1, to: 3 }, { from: 7, to: 8 }, { from: 10, to: 10 }]);
  });

  it("places a date between sessions on the next session", () => {
    const indexOf = sessionIndexer(["2024-01-02", "2024-01-03", "2024-01-05"]);

    expect(indexOf("2024-01-03")).toBe(1);
    expect(indexOf("2024-01-04")).toBe(2);
    expect(indexOf("2024-02-01")).toBe(2);
  });
});
