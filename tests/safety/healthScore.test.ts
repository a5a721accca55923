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

describe("health score: exact numbers at the edges of each rule", () => {
  const trade = (pnl: number, session = "2021-01-04") => ({ session, pnl });

  it("judges on closed trades alone once there are enough, and counts a zero trade as an outcome but not a win", () => {
    const health = scoreStrategy(
      { closedTrades: [trade(10), trade(-5), trade(0)], holdingPnls: [3], signals: 10, rejections: 5, pnlSeries: [0, 10, 5, 5] },
      { minTrades: 3, maxRejectionRate: 0.5, minExpectancy: 2 },
    );

    expect(health.expectancy).toBeCloseTo(5 / 3, 12);
    expect(health.winRate).toBeCloseTo(1 / 3, 12);
    expect(health.holdingPnl).toBe(0);
    // 40·(1 + 1/3)/2 + 25/3 + 20·0 + 15·(1 − 0.5)
    expect(health.score).toBeCloseTo(42.5, 9);
    expect(health.status).toBe("DEGRADED");
    expect(health.recommendations).toEqual(["Expectancy 1.67 per trade below 2.00: review its entry rules or disable it with STRATEGY_DISABLED_LIST."]);
  });

  it("puts a score of exactly 50 in WARNING", () => {
    const health = scoreStrategy(
      { closedTrades: [trade(10), trade(-10)], signals: 4, rejections: 1, pnlSeries: [0, 10, 5] },
      { minTrades: 2, maxRejectionRate: 0.5, minExpectancy: -1 },
    );

    expect(health.score).toBe(50);
    expect(health.status).toBe("WARNING");
  });

  it("caps nothing when the rejection rate and the expectancy sit exactly at their limits", () => {
    const health = scoreStrategy(
      { closedTrades: [trade(5), trade(5)], signals: 4, rejections: 2, pnlSeries: [0, 5, 10] },
      { minTrades: 2, maxRejectionRate: 0.5, minExpectancy: 5 },
    );

    expect(health.score).toBe(80);
    expect(health.status).toBe("HEALTHY");
    expect(health.recommendations).toEqual([]);
  });

  it("advises on rejections, expectancy and a P&L fall of more than half, in that order", () => {
    const health = scoreStrategy(
      { closedTrades: [trade(-5), trade(-5)], signals: 10, rejections: 8, pnlSeries: [0, 10, 2] },
      { minTrades: 2, maxRejectionRate: 0.5, minExpectancy: 0 },
    );

    expect(health.recommendations).toEqual([
      "Rejection rate 0.8000 above 0.5000: see the rejections report for the stage that blocks its signals.",
      "Expectancy -5.00 per trade below 0.00: review its entry rules or disable it with STRATEGY_DISABLED_LIST.",
      "P&L fell 0.8000 from its peak: consider smaller sizing.",
    ]);
  });

  it("with a maximum rejection rate of zero, takes the whole rejection part for any rejection", () => {
    const config = { minTrades: 1, maxRejectionRate: 0, minExpectancy: -100 };
    const clean = scoreStrategy({ closedTrades: [trade(5)], signals: 4, rejections: 0, pnlSeries: [0, 5] }, config);
    const rejected = scoreStrategy({ closedTrades: [trade(5)], signals: 4, rejections: 1, pnlSeries: [0, 5] }, config);

    expect(clean.score).toBe(100);
    expect(rejected.score).toBe(80);
  });

  it("counts only non-zero holding outcomes, and none at all is an expectancy of zero", () => {
    const config = { minTrades: 5, maxRejectionRate: 0.8, minExpectancy: 0 };

    expect(scoreStrategy({ closedTrades: [], holdingPnls: [0, 6], signals: 0, rejections: 0, pnlSeries: [] }, config).expectancy).toBe(6);
    expect(scoreStrategy({ closedTrades: [], signals: 0, rejections: 0, pnlSeries: [] }, config).expectancy).toBe(0);
  });

  it("derives holding outcomes from the P&L curve less the trades closed that session, ignoring under half a cent", () => {
    const sessions = ["2021-01-04", "2021-01-05", "2021-01-06"];
    const history = { sessions, signals: [1, 0, 0], rejections: [0, 0, 0], pnlSeries: [0, 5, 12], closedTrades: [trade(4, "2021-01-06")] };
    const { long } = scoreStrategyWindows(history, { minTrades: 5, maxRejectionRate: 0.8, minExpectancy: 0 }, 2, 3);

    // outcomes: the closed 4, then holding 5 (session 2) and 12 − 5 − 4 = 3 (session 3)
    expect(long.holdingPnl).toBe(8);
    expect(long.expectancy).toBe(4);
    const tiny = scoreStrategyWindows({ ...history, pnlSeries: [0, 0.005, 0.005], closedTrades: [] }, { minTrades: 1, maxRejectionRate: 0.8, minExpectancy: -1 }, 3, 3);
    expect(tiny.long.holdingPnl).toBe(0.005);
    expect(tiny.long.status).not.toBe("INSUFFICIENT_DATA");
  });

  it("measures a short window's drawdown on that window's P&L only", () => {
    const history = { sessions: ["a", "b", "c", "d"], signals: [0, 0, 0, 0], rejections: [0, 0, 0, 0], pnlSeries: [10, 0, 5, 6], closedTrades: [] };
    const { short, long } = scoreStrategyWindows(history, { minTrades: 5, maxRejectionRate: 0.8, minExpectancy: 0 }, 2, 4);

    expect(short.maxDrawdown).toEqual({ dollars: 0, fraction: 0 });
    expect(long.maxDrawdown).toEqual({ dollars: 10, fraction: 1 });
  });
});

describe("strategy health score: holding outcomes, exactly", () => {
  const config = { minTrades: 5, maxRejectionRate: 0.8, minExpectancy: 0 };
  const sessions = ["2021-01-04", "2021-01-05", "2021-01-06"];

  it("takes a trade out of its own session's P&L move only: outcomes 10, +5 and −3 score 85", () => {
    const history = { sessions, signals: [1, 0, 0], rejections: [0, 0, 0], pnlSeries: [0, 5, 12], closedTrades: [{ session: "2021-01-06", pnl: 10 }] };
    const { long } = scoreStrategyWindows(history, config, 3, 3);

    // edge 12 / 18, win rate 2 / 3, no rejections, no drawdown: 40 × (5/6) + 25 × (2/3) + 20 + 15
    expect(long.holdingPnl).toBe(2);
    expect(long.score).toBeCloseTo(85, 9);
  });

  it("calls a P&L move under half a cent no outcome: no trades and no holding outcome is insufficient data", () => {
    const history = { sessions, signals: [0, 0, 0], rejections: [0, 0, 0], pnlSeries: [0, 0.004, 0.008], closedTrades: [] };
    const { long } = scoreStrategyWindows(history, { ...config, minTrades: 1 }, 3, 3);

    expect(long).toMatchObject({ holdingPnl: 0, status: "INSUFFICIENT_DATA" });
  });

  it("does not advise waiting for trades when the strategy is judged on a position it held", () => {
    const held = { sessions, signals: [0, 0, 0], rejections: [0, 0, 0], pnlSeries: [0, 10, 20], closedTrades: [] };
    const { long } = scoreStrategyWindows(held, config, 3, 3);

    expect(long).toMatchObject({ trades: 0, holdingPnl: 20, status: "HEALTHY", recommendations: [] });
  });
});
