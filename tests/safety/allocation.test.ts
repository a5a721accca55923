import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateEquity, allocationProblem, outsideRebalanceBand } from "../../src/safety/index.js";

describe("allocateEquity", () => {
  it("gives weighted strategies their weight and splits the rest equally among the others", () => {
    const dollars = allocateEquity(1000, [{ id: "a", weight: 0.6 }, { id: "b" }, { id: "c" }]);

    expect([...dollars]).toEqual([["a", 600], ["b", 200], ["c", 200]]);
  });

  it("keeps the rest in cash when every strategy is weighted", () => {
    const dollars = allocateEquity(1000, [{ id: "a", weight: 0.5 }, { id: "b", weight: 0.3 }]);

    expect([...dollars.values()].reduce((sum, value) => sum + value, 0)).toBe(800);
  });

  it("splits exactly as equity / n without weights, so runs without weights trade as before", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 1, max: 7 }), (equity, n) => {
        const claims = Array.from({ length: n }, (_, i) => ({ id: `s${i}` }));
        for (const value of allocateEquity(equity, claims).values()) expect(value).toBe(equity / n);
      }),
      { seed: 31, numRuns: 300 },
    );
  });
});

describe("allocationProblem", () => {
  it("accepts weights summing to at most 1, float noise included", () => {
    expect(allocationProblem([{ id: "a", weight: 0.1 }, { id: "b", weight: 0.2 }, { id: "c", weight: 0.7 }])).toBeNull();
    expect(allocationProblem([{ id: "a" }, { id: "b" }])).toBeNull();
  });

  it("names the weights when they sum to more than 1, and a weight outside (0, 1]", () => {
    expect(allocationProblem([{ id: "a", weight: 0.6 }, { id: "b", weight: 0.5 }])).toBe(
      "strategy weights sum to 1.1 (a=0.6, b=0.5); they must sum to at most 1",
    );
    expect(allocationProblem([{ id: "a", weight: 0 }])).toBe("strategy a: weight 0 must be a number in (0, 1]");
  });
});

describe("outsideRebalanceBand", () => {
  it("trades a holding back only when its weight is more than the band off target", () => {
    expect(outsideRebalanceBand(0.46, 0.5, 0.05)).toBe(false);
    expect(outsideRebalanceBand(0.44, 0.5, 0.05)).toBe(true);
    expect(outsideRebalanceBand(0.56, 0.5, 0.05)).toBe(true);
  });

  it("always opens and closes positions, and trades every difference with band 0", () => {
    expect(outsideRebalanceBand(0, 0.02, 0.05)).toBe(true);
    expect(outsideRebalanceBand(0.02, 0, 0.05)).toBe(true);
    expect(outsideRebalanceBand(0.4999, 0.5, 0)).toBe(true);
  });
});

describe("allocation limits, exactly", () => {
  it("accepts a weight of exactly 1", () => {
    expect(allocationProblem([{ id: "all", weight: 1 }])).toBeNull();
  });

  it("trades every difference with a band of zero, but not a holding exactly on target", () => {
    expect(outsideRebalanceBand(0.5, 0.5, 0)).toBe(true);
    expect(outsideRebalanceBand(0.75, 0.5, 0.25)).toBe(false);
    expect(outsideRebalanceBand(0.75, 0.5, 0.125)).toBe(true);
  });
});

describe("allocationProblem at the sum's tolerance", () => {
  it("accepts weights summing to exactly 1 + 1e-9 and refuses anything above", () => {
    expect(allocationProblem([{ id: "a", weight: 1 }, { id: "b", weight: 1e-9 }])).toBeNull();
    expect(allocationProblem([{ id: "a", weight: 1 }, { id: "b", weight: 2e-9 }])).toBe("strategy weights sum to 1 (a=1, b=2e-9); they must sum to at most 1");
  });
});
