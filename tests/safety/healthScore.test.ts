import fc from "fast-check";
import { describe, it, expect } from "vitest";
import {
  DEFAULT_HEALTH_SCORE_CONFIG,
  pnlDrawdown,
  scoreStrategy,
  scoreStrategyWindows,
  type StrategyHistory,
  type StrategyWindow,
} from "../../src/safety/index.js";

const CONFIG = DEFAULT_HEALTH_SCORE_CONFIG;
const FAST_CHECK = { seed: 424242, numRuns: 300 };

function windowOf(pnls: readonly number[], extra: Partial<StrategyWindow> = {}): StrategyWindow {
  return {
    closedTrades: pnls.map((pnl, i) => ({ session: `2024-01-${String(i + 1).padStart(2, "0")}`, pnl })),
    signals: 10,
    rejections: 0,
    pnlSeries: [0],
    ...extra,
  };
}

describe("strategy health score: examples", () => {
  it("scores a strategy that always wins, never gets rejected and never draws down at 100", () => {
    const health = scoreStrategy(windowOf([10, 10, 10, 10, 10], { pnlSeries: [10, 20, 30, 40, 50] }), CONFIG);

    expect(health).toMatchObject({ expectancy: 10, winRate: 1, rejectionRate: 0, trades: 5, score: 100, status: "HEALTHY" });
    expect(health.recommendations).toEqual([]);
  });

  it("scores a strategy that always loses as critical", () => {
    const health = scoreStrategy(windowOf([-5, -5, -5, -5, -5], { pnlSeries: [0, -10, -25] }), CONFIG);

    expect(health.score).toBe(20);
    expect(health.status).toBe("CRITICAL");
  });

  it("caps the status at DEGRADED when the rejection rate is above the maximum", () => {
    const health = scoreStrategy(windowOf([10, 10, 10, 10, 10], { signals: 10, rejections: 9 }), CONFIG);

    expect(health.score).toBe(80);
    expect(health.status).toBe("DEGRADED");
    expect(health.recommendations.join(" ")).toContain("Rejection rate 0.9000 above 0.8000");
  });

  it("caps the status at WARNING when expectancy is below the minimum", () => {
    const health = scoreStrategy(windowOf([2, 2, 2, 2, 2]), { ...CONFIG, minExpectancy: 5 });

    expect(health.score).toBe(100);
    expect(health.status).toBe("WARNING");
  });

  it("reports too few trades as insufficient data but still computes the score", () => {
    const health = scoreStrategy(windowOf([10, 10, 10]), CONFIG);

    expect(health.status).toBe("INSUFFICIENT_DATA");
    expect(health.score).toBe(100);
    expect(health.recommendations[0]).toContain("Only 3 closed trades (need 5)");
  });

  it("measures the P&L curve's drawdown in dollars and as a fraction of a positive peak", () => {
    expect(pnlDrawdown([0, 10, 4, 12, 3])).toEqual({ dollars: 9, fraction: 0.75 });
    expect(pnlDrawdown([0, -5, -2])).toEqual({ dollars: 5, fraction: null });
    expect(pnlDrawdown([])).toEqual({ dollars: 0, fraction: null });
  });

  it("scores the short and long trailing windows of a history", () => {
    const sessions = Array.from({ length: 40 }, (_, i) => `2024-02-${String(i + 1).padStart(2, "0")}`);
    const history: StrategyHistory = {
      sessions,
      signals: sessions.map(() => 2),
      rejections: sessions.map((_, i) => (i >= 33 ? 2 : 0)),
      // The curve moves only by the trades, so no held position adds an outcome.
      pnlSeries: sessions.map((_, i) => (i < 33 ? i + 1 : 33 - (i - 32))),
      closedTrades: sessions.map((session, i) => ({ session, pnl: i >= 33 ? -1 : 1 })),
    };

    const { short, long } = scoreStrategyWindows(history, CONFIG);

    expect([short.trades, short.rejectionRate, short.expectancy]).toEqual([7, 1, -1]);
    expect(long.trades).toBe(30);
    expect(long.rejectionRate).toBeCloseTo(14 / 60, 12);
  });
});

describe("strategy health score of a strategy that rarely trades", () => {
  const sessions = Array.from({ length: 30 }, (_, i) => `2024-03-${String(i + 1).padStart(2, "0")}`);
  const holding = (pnlSeries: number[]): StrategyHistory => ({ sessions, signals: sessions.map(() => 0), rejections: sessions.map(() => 0), pnlSeries, closedTrades: [] });

  it("judges a position held through a rising market on its unrealised P&L: healthy, not insufficient data", () => {
    const { long } = scoreStrategyWindows(holding(sessions.map((_, i) => 10 * i)), CONFIG);

    expect(long).toMatchObject({ trades: 0, holdingPnl: 290, winRate: 1, expectancy: 10, score: 100, status: "HEALTHY" });
  });

  it("weighs a choppy rise by its up and down sessions, between the two extremes", () => {
    const { long } = scoreStrategyWindows(holding(sessions.map((_, i) => 10 * i + (i % 2 === 0 ? 0 : -15))), CONFIG);

    expect(long.winRate).toBeCloseTo(14 / 29, 12);
    expect(long.score).toBeGreaterThan(25);
    expect(long.score).toBeLessThan(100);
  });

  it("scores the same holding through a falling market low", () => {
    const { long } = scoreStrategyWindows(holding(sessions.map((_, i) => -10 * i)), CONFIG);

    expect(long).toMatchObject({ trades: 0, holdingPnl: -290, winRate: 0 });
    expect(long.score).toBeLessThan(25);
  });
});

describe("strategy health score: properties", () => {
  const window = fc
    .record({
      pnls: fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 30 }),
      signals: fc.integer({ min: 0, max: 50 }),
      rejectedShare: fc.integer({ min: 0, max: 100 }),
      pnlSeries: fc.array(fc.integer({ min: -500, max: 500 }), { maxLength: 30 }),
    })
    .map(({ pnls, signals, rejectedShare, pnlSeries }) =>
      windowOf(pnls, { signals, rejections: Math.round((signals * rejectedShare) / 100), pnlSeries }),
    );
  const EPSILON = 1e-9;

  it("stays within 0 to 100", () => {
    fc.assert(
      fc.property(window, (w) => {
        const { score } = scoreStrategy(w, CONFIG);
        return score >= 0 && score <= 100;
      }),
      FAST_CHECK,
    );
  });

  it("never lowers the score when a trade earns more", () => {
    fc.assert(
      fc.property(window, fc.nat(), fc.integer({ min: 1, max: 200 }), (w, pick, gain) => {
        fc.pre(w.closedTrades.length > 0);
        const i = pick % w.closedTrades.length;
        const better = w.closedTrades.map((trade, j) => (j === i ? { ...trade, pnl: trade.pnl + gain } : trade));
        return scoreStrategy({ ...w, closedTrades: better }, CONFIG).score >= scoreStrategy(w, CONFIG).score - EPSILON;
      }),
      FAST_CHECK,
    );
  });

  it("never lowers the score when fewer signals are rejected", () => {
    fc.assert(
      fc.property(window, fc.integer({ min: 1, max: 50 }), (w, fewer) => {
        const better = { ...w, rejections: Math.max(0, w.rejections - fewer) };
        return scoreStrategy(better, CONFIG).score >= scoreStrategy(w, CONFIG).score - EPSILON;
      }),
      FAST_CHECK,
    );
  });
});
