import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composedMultiplier, sizeEntry, type EntryInputs, type EntrySize } from "../../src/safety/index.js";

/** An entry no rule touches: $1,000 wanted from nothing, plenty of cash, every cap off. */
const FREE: EntryInputs = {
  targetValue: 1000, currentValue: 0, rampup: 1, correlation: 1,
  maxOrderNotional: 0, positionRoom: Number.POSITIVE_INFINITY, minNotional: 1, affordable: 1_000_000,
};

const notionalOf = (size: EntrySize): number => (size.kind === "sized" ? size.notional : 0);

describe("sizeEntry", () => {
  it("buys the gap to target when no rule applies", () => {
    expect(sizeEntry(FREE)).toEqual({ kind: "sized", asked: 1000, notional: 1000, steps: [] });
  });

  it("applies ramp-up × correlation, then the caps, then buying power, in that order (the README's example)", () => {
    const size = sizeEntry({ ...FREE, targetValue: 5000, currentValue: 0, rampup: 0.5, correlation: 0.5, maxOrderNotional: 1000, positionRoom: 800, affordable: 700 });

    expect(size).toEqual({
      kind: "sized", asked: 5000, notional: 700,
      steps: [
        { code: "RAMPUP_SIZING", before: 5000, after: 2500 },
        { code: "CORRELATION_SIZING", before: 2500, after: 1250 },
        { code: "MAX_ORDER_NOTIONAL", before: 1250, after: 1000 },
        { code: "MAX_POSITION_PCT", before: 1000, after: 800 },
        { code: "INSUFFICIENT_BUYING_POWER", before: 800, after: 700 },
      ],
    });
  });

  it("scales the target, not the gap, so a multiplier never forces a top-up past the reduced target", () => {
    const size = sizeEntry({ ...FREE, targetValue: 1000, currentValue: 400, correlation: 0.5 });

    expect(size).toMatchObject({ kind: "sized", notional: 100, steps: [{ code: "CORRELATION_SIZING", before: 600, after: 100 }] });
  });

  it("names the first rule that took an entry below the minimum", () => {
    expect(sizeEntry({ ...FREE, currentValue: 600, correlation: 0.5 })).toMatchObject({ kind: "rejected", code: "CORRELATION_SIZING" });
    expect(sizeEntry({ ...FREE, currentValue: 600, rampup: 0.5, correlation: 0.5 })).toMatchObject({ kind: "rejected", code: "RAMPUP_SIZING" });
    expect(sizeEntry({ ...FREE, maxOrderNotional: 0.5 })).toMatchObject({ kind: "rejected", code: "MAX_ORDER_NOTIONAL" });
    expect(sizeEntry({ ...FREE, positionRoom: 0 })).toMatchObject({ kind: "rejected", code: "MAX_POSITION_PCT" });
    expect(sizeEntry({ ...FREE, affordable: 0.99 })).toMatchObject({ kind: "rejected", code: "INSUFFICIENT_BUYING_POWER", wanted: 1000 });
    expect(sizeEntry({ ...FREE, targetValue: 0.5 })).toMatchObject({ kind: "rejected", code: "BELOW_MIN_NOTIONAL" });
  });

  it("floors every amount to cents, so a float error never enlarges an order", () => {
    const size = sizeEntry({ ...FREE, targetValue: 100.019, rampup: 1, correlation: 1, affordable: 1e9 });

    expect(notionalOf(size)).toBe(100.01);
  });
});

const cents = fc.integer({ min: 0, max: 5_000_000 }).map((value) => value / 100);
const factor = fc.double({ min: 0, max: 1, noNaN: true });
const inputs: fc.Arbitrary<EntryInputs> = fc.record({
  targetValue: cents,
  currentValue: cents,
  rampup: factor,
  correlation: factor,
  maxOrderNotional: fc.oneof(fc.constant(0), cents),
  positionRoom: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), cents),
  minNotional: fc.constantFrom(0, 1, 5),
  affordable: cents,
});

/** The same entry with only one rule left on. */
function onlyRule(entry: EntryInputs, rule: "rampup" | "correlation" | "maxOrderNotional" | "positionRoom" | "affordable"): EntryInputs {
  const neutral = { rampup: 1, correlation: 1, maxOrderNotional: 0, positionRoom: Number.POSITIVE_INFINITY, affordable: Number.MAX_SAFE_INTEGER / 1000 };
  return { ...entry, ...neutral, [rule]: entry[rule] };
}

describe("sizing properties", () => {
  it("composes to a multiplier no larger than either factor, and 1 when no rule applies", () => {
    fc.assert(
      fc.property(factor, factor, (rampup, correlation) => {
        const multiplier = composedMultiplier(rampup, correlation);
        expect(multiplier).toBeLessThanOrEqual(rampup);
        expect(multiplier).toBeLessThanOrEqual(correlation);
        expect(composedMultiplier(1, 1)).toBe(1);
      }),
      { seed: 21, numRuns: 500 },
    );
  });

  it("never sizes an entry larger than any single rule would allow", () => {
    fc.assert(
      fc.property(inputs, (entry) => {
        const composed = notionalOf(sizeEntry(entry));
        for (const rule of ["rampup", "correlation", "maxOrderNotional", "positionRoom", "affordable"] as const) {
          expect(composed).toBeLessThanOrEqual(notionalOf(sizeEntry(onlyRule(entry, rule))));
        }
      }),
      { seed: 22, numRuns: 500 },
    );
  });

  it("sends whole cents within the cash, the caps and the minimum", () => {
    fc.assert(
      fc.property(inputs, (entry) => {
        const size = sizeEntry(entry);
        if (size.kind === "rejected") return;
        expect(Math.round(size.notional * 100)).toBeCloseTo(size.notional * 100, 6);
        expect(size.notional).toBeLessThanOrEqual(entry.affordable);
        expect(size.notional).toBeLessThanOrEqual(entry.positionRoom);
        if (entry.maxOrderNotional > 0) expect(size.notional).toBeLessThanOrEqual(entry.maxOrderNotional);
        expect(size.notional).toBeGreaterThanOrEqual(entry.minNotional);
      }),
      { seed: 23, numRuns: 500 },
    );
  });

  it("never sizes a correlated entry larger than the same entry without the correlation", () => {
    fc.assert(
      fc.property(inputs, factor, (entry, correlation) => {
        const free = notionalOf(sizeEntry({ ...entry, correlation: 1 }));
        expect(notionalOf(sizeEntry({ ...entry, correlation }))).toBeLessThanOrEqual(free);
      }),
      { seed: 24, numRuns: 500 },
    );
  });
});

describe("entry sizing at the minimum notional, exactly", () => {
  const base: EntryInputs = { targetValue: 100, currentValue: 0, rampup: 1, correlation: 1, maxOrderNotional: 0, positionRoom: Number.POSITIVE_INFINITY, minNotional: 50, affordable: 1000 };

  it("sizes an entry of exactly the minimum, whether the rules or buying power set it", () => {
    expect(sizeEntry({ ...base, targetValue: 50 })).toMatchObject({ kind: "sized", notional: 50 });
    expect(sizeEntry({ ...base, affordable: 50 })).toMatchObject({ kind: "sized", notional: 50 });
  });

  it("blames the first rule that took the size from at least the minimum to below it", () => {
    // ramp-up 100 → 50 (still the minimum), then MAX_ORDER_NOTIONAL 50 → 30
    const size = sizeEntry({ ...base, rampup: 0.5, maxOrderNotional: 30 });

    expect(size).toMatchObject({ kind: "rejected", code: "MAX_ORDER_NOTIONAL", wanted: 30 });
  });
});

describe("sizeEntry: an entry that asked for less than the minimum", () => {
  it("is BELOW_MIN_NOTIONAL even when ramp-up then cut it further, since no rule took it below the minimum", () => {
    const size = sizeEntry({ ...FREE, targetValue: 0.8, rampup: 0.5, minNotional: 1 });

    expect(size).toEqual({ kind: "rejected", asked: 0.8, code: "BELOW_MIN_NOTIONAL", wanted: 0.4, steps: [{ code: "RAMPUP_SIZING", before: 0.8, after: 0.4 }] });
  });
});
