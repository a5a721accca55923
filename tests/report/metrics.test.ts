import { describe, expect, it } from "vitest";
import { cagr, computeMetrics, dailyReturns, peakToTrough, sampleStdev, type MetricsInput } from "../../src/report/metrics.js";

const day = (n: number) => `2024-01-${String(n).padStart(2, "0")}`;

function input(equity: number[], overrides: Partial<MetricsInput> = {}): MetricsInput {
  return {
    initialCapital: 100,
    sessions: equity.map((value, i) => ({ date: day(i + 1), equity: value, state: "ACTIVE" })),
    halts: 0, panics: 0, orders: 0, signalsGenerated: 0, signalsRejected: 0,
    ...overrides,
  };
}

describe("summary metrics", () => {
  it("measures daily returns against the previous close, the first against initial capital", () => {
    const returns = dailyReturns(100, [110, 99, 108.9]);

    expect(returns.map((value) => Number(value.toFixed(12)))).toEqual([0.1, -0.1, 0.1]);
  });

  it("computes total return, volatility and Sharpe of a +10 %, −10 %, +10 % series", () => {
    // Returns 0.1, −0.1, 0.1: mean 1/30, sample variance 1/75, so volatility √(252/75) and Sharpe √(75·252)/30.
    const metrics = computeMetrics(input([110, 99, 108.9]));

    expect(metrics.totalReturn).toBeCloseTo(0.089, 12);
    expect(metrics.volatility).toBeCloseTo(1.833030277982336, 9);
    expect(metrics.sharpe).toBeCloseTo(4.58257569495584, 9);
  });

  it("annualises growth over 252 sessions a year", () => {
    expect(cagr(100, 110, 252)).toBeCloseTo(0.1, 12);
    expect(cagr(100, 121, 504)).toBeCloseTo(0.1, 12);
    expect(cagr(100, 0, 10)).toBe(-1);
    expect(cagr(100, 100, 0)).toBeNull();
  });

  it("finds the deepest peak-to-trough fall and its dates", () => {
    const points = [100, 120, 90, 130, 104].map((equity, i) => ({ date: day(i + 1), equity }));

    expect(peakToTrough(points)).toEqual({ drawdown: 0.25, peak: day(2), trough: day(3) });
    expect(peakToTrough([{ date: day(1), equity: 100 }, { date: day(2), equity: 101 }])).toEqual({ drawdown: 0, peak: null, trough: null });
  });

  it("counts halted and panicked sessions and the rejection rate", () => {
    const base = input([100, 99, 98, 97]);
    const sessions = base.sessions.map((session, i) => ({ ...session, state: ["ACTIVE", "HALTED", "PANIC", "RAMPUP"][i] }));

    const metrics = computeMetrics({ ...base, sessions, halts: 1, panics: 1, orders: 7, signalsGenerated: 20, signalsRejected: 5 });

    expect(metrics).toMatchObject({ sessionsHalted: 2, halts: 1, panics: 1, orders: 7, rejectionRate: 0.25 });
  });

  it("leaves a metric undefined when the series cannot define it", () => {
    expect(computeMetrics(input([]))).toMatchObject({ totalReturn: 0, cagr: null, volatility: null, sharpe: null, rejectionRate: null });
    expect(computeMetrics(input([100, 100, 100])).sharpe).toBeNull();
    expect(sampleStdev([5])).toBeNull();
  });
});
