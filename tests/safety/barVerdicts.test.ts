import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BarStore, BAR_FIELDS, type SymbolBars } from "../../src/data/barStore.js";
import { BarVerdicts, checkSymbolQuality, isAcceptedBar, lastGoodClose, type DataQualityConfig } from "../../src/safety/index.js";
import { computeIndicator, type IndicatorSpec } from "../../src/strategies/index.js";

/**
 * The engine keeps one BarVerdicts per series for a whole replay, judging each bar once. Whatever the bars hold
 * (gaps, NaN fields, insane bars, outlier moves) and whatever a scenario injects into the current session or
 * later ones, every answer must equal judging the bars afresh.
 */
const LENGTH = 80;

type BarKind = "good" | "missing" | "nan" | "insane" | "jump";
const barKind = fc.constantFrom<BarKind>("good", "good", "good", "good", "missing", "nan", "insane", "jump");

function seriesOf(kinds: readonly BarKind[], moves: readonly number[]): SymbolBars {
  const bars = BarStore.emptySeries("SYM", kinds.length);
  let close = 100;
  kinds.forEach((kind, i) => writeBar(bars, i, kind, (close *= 1 + moves[i])));
  return bars;
}

function writeBar(bars: SymbolBars, i: number, kind: BarKind, close: number): void {
  bars.present[i] = kind === "missing" ? 0 : 1;
  const price = kind === "jump" ? close * 3 : close;
  bars.open[i] = price;
  bars.high[i] = price * 1.01;
  bars.low[i] = price * 0.99;
  bars.close[i] = price;
  bars.volume[i] = 1000;
  if (kind === "nan") bars[BAR_FIELDS[i % BAR_FIELDS.length]][i] = Number.NaN;
  if (kind === "insane") bars.low[i] = price * 1.5;
  if (kind === "missing") for (const field of BAR_FIELDS) bars[field][i] = Number.NaN;
}

const config = fc.record<DataQualityConfig>({
  stalenessSessions: fc.integer({ min: 0, max: 5 }),
  maxNanPct: fc.constantFrom(0, 0.05, 0.2),
  minHistoryBars: fc.integer({ min: 0, max: 40 }),
  outlierMaxMove: fc.constantFrom(0.2, 0.5, 1.5),
  lookback: fc.integer({ min: 1, max: 30 }),
});

/** A scenario's injection: at `session`, bar `at` (that session or a later one) becomes `kind`. */
const injection = fc.record({ session: fc.integer({ min: 0, max: LENGTH - 1 }), ahead: fc.integer({ min: 0, max: 5 }), kind: barKind });

/** The oracle: present bars among the last `window` sessions up to `index` with a non-finite field, as a share. */
function nonFiniteShareByWalking(bars: SymbolBars, index: number, window: number): number {
  let present = 0;
  let bad = 0;
  for (let i = index; i >= 0 && i > index - window; i--) {
    if (bars.present[i] === 0) continue;
    present += 1;
    if (BAR_FIELDS.some((field) => !Number.isFinite(bars[field][i]))) bad += 1;
  }
  return present === 0 ? 0 : bad / present;
}

/** The oracle: accepted bars at or before `index`, at most `cap`. */
function acceptedByWalking(bars: SymbolBars, index: number, outlierMaxMove: number, cap: number): number {
  let count = 0;
  for (let i = index; i >= 0 && count < cap; i--) if (isAcceptedBar(bars, i, outlierMaxMove)) count += 1;
  return count;
}

/** The oracle: the `n`-th accepted bar counting back from `index`, or -1. */
function acceptedBackByWalking(bars: SymbolBars, index: number, outlierMaxMove: number, n: number): number {
  let seen = 0;
  for (let i = index; i >= 0; i--) if (isAcceptedBar(bars, i, outlierMaxMove) && ++seen === n) return i;
  return -1;
}

describe("bar verdicts kept from session to session", () => {
  it("answer every data-quality check as judging the bars afresh does, faults injected on the way", () => {
    fc.assert(
      fc.property(
        fc.array(barKind, { minLength: LENGTH, maxLength: LENGTH }),
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: LENGTH, maxLength: LENGTH }),
        config, fc.integer({ min: 0, max: 50 }), fc.array(injection, { maxLength: 6 }),
        (kinds, moves, rules, indicatorBars, injections) => {
          const bars = seriesOf(kinds, moves);
          const kept = new BarVerdicts(bars, rules.outlierMaxMove);
          const [keptAnswers, freshAnswers]: unknown[][] = [[], []];
          for (let index = 0; index < LENGTH; index++) {
            for (const fault of injections.filter((f) => f.session === index)) {
              const at = Math.min(LENGTH - 1, index + fault.ahead);
              writeBar(bars, at, fault.kind, bars.close[Math.max(0, at - 1)] || 100);
            }
            keptAnswers.push(
              checkSymbolQuality(bars, index, rules, indicatorBars, kept), kept.lastGoodClose(index), kept.isAccepted(index), kept.isAccepted(index >> 1),
              kept.nonFiniteShare(index, rules.lookback), kept.acceptedCount(index, indicatorBars),
              kept.acceptedBack(index, 1), kept.acceptedBack(index, indicatorBars), kept.acceptedBack(index >> 1, indicatorBars + 1),
            );
            freshAnswers.push(
              checkSymbolQuality(bars, index, rules, indicatorBars), lastGoodClose(bars, index, rules.outlierMaxMove), isAcceptedBar(bars, index, rules.outlierMaxMove), isAcceptedBar(bars, index >> 1, rules.outlierMaxMove),
              nonFiniteShareByWalking(bars, index, rules.lookback), acceptedByWalking(bars, index, rules.outlierMaxMove, indicatorBars),
              ...[[index, 1], [index, indicatorBars], [index >> 1, indicatorBars + 1]].map(([at, n]) => acceptedBackByWalking(bars, at, rules.outlierMaxMove, n)),
            );
          }
          expect(keptAnswers).toEqual(freshAnswers);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it("give indicators the bars walking the look-back gives, without the walk", () => {
    fc.assert(
      fc.property(
        fc.array(barKind, { minLength: LENGTH, maxLength: LENGTH }),
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: LENGTH, maxLength: LENGTH }),
        fc.constantFrom<IndicatorSpec["kind"]>("momentum", "sma"), fc.integer({ min: 1, max: 40 }),
        (kinds, moves, kind, period) => {
          const bars = seriesOf(kinds, moves);
          const kept = new BarVerdicts(bars, 0.5);
          const remembered = Object.assign((i: number) => kept.isAccepted(i), { back: (index: number, n: number) => kept.acceptedBack(index, n) });
          const walked = (i: number) => isAcceptedBar(bars, i, 0.5);
          for (let index = 0; index < LENGTH; index++) {
            expect(computeIndicator(bars, index, { kind, period }, remembered)).toEqual(computeIndicator(bars, index, { kind, period }, walked));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("count from the start again for an earlier session (a twin replaying the same bars)", () => {
    const bars = seriesOf(["good", "nan", "good", "missing", "good", "jump", "good", "good"], [0, 0.01, 0.01, 0, 0.01, 0, 0.01, 0]);
    const verdicts = new BarVerdicts(bars, 0.5);
    expect(verdicts.acceptedCount(7, 100)).toBe(5);
    expect(verdicts.acceptedCount(2, 100)).toBe(2);
    expect(verdicts.sessionsWithoutAccepted(3, 5)).toBe(1);
    expect(verdicts.sessionsWithoutAccepted(5, 5)).toBe(1);
    expect(verdicts.sessionsWithoutAccepted(5, 0)).toBe(0);
    expect(verdicts.nonFiniteShare(3, 4)).toBeCloseTo(1 / 3, 12);
    expect(verdicts.lastGoodClose(5)).toBe(bars.close[4]);
    expect([verdicts.acceptedBack(5, 1), verdicts.acceptedBack(5, 2), verdicts.acceptedBack(5, 3), verdicts.acceptedBack(5, 4), verdicts.acceptedBack(5, 0)]).toEqual([4, 2, 0, -1, -1]);
    expect([verdicts.acceptedBack(7, 1), verdicts.acceptedBack(7, 5), verdicts.acceptedBack(7, 1.5)]).toEqual([7, 0, -1]);
  });
});
