import type { SessionDate } from "../clock/types.js";
import { money, ratio } from "./format.js";

/*
 * Score, 0–100, the sum of four bounded parts, over the window's outcomes: its closed trades and, when it
 * closed fewer than minTrades, each session's unrealised P&L change of the positions it held
 * (`holdingPnls`), so a strategy that rarely trades (buy-and-hold) is judged on its holding period:
 *   40 × (1 + edge) / 2   edge = Σ pnl / Σ |pnl| over the outcomes, in [−1, 1] (0 without any):
 *                         scale-free, and never lower when any trade's P&L is higher.
 *   25 × win rate         outcomes with pnl > 0 / outcomes (0 without any).
 *   20 × clip(1 − rejectionRate / maxRejectionRate, 0, 1)   rejectionRate = rejections / signals (0 without signals).
 *   15 × (1 − min(1, drawdown fraction))   of the cumulative P&L curve's peak; a curve whose peak never rose
 *                         above 0 earns 15 when it never fell and 0 when it did.
 * Status bands: ≥ 75 HEALTHY, ≥ 50 WARNING, ≥ 25 DEGRADED, else CRITICAL. A rejection rate above the maximum caps
 * the status at DEGRADED; expectancy below the minimum caps it at WARNING. Fewer than minTrades closed trades
 * is INSUFFICIENT_DATA, with the score still computed from what there is.
 */

/** A round trip's realised P&L, dated by the session it closed. */
export interface ClosedTrade {
  session: SessionDate;
  pnl: number;
}

/** One strategy's record over one window. */
export interface StrategyWindow {
  closedTrades: readonly ClosedTrade[];
  /** Each session's unrealised P&L change of the positions held (holding-period outcomes); absent: none. */
  holdingPnls?: readonly number[];
  signals: number;
  rejections: number;
  /** Cumulative P&L at each session close of the window. */
  pnlSeries: readonly number[];
}

/** Thresholds of the health scorer (MIN_TRADES_FOR_HEALTH, MAX_REJECTION_RATE, MIN_EXPECTANCY). */
export interface HealthScoreConfig {
  minTrades: number;
  maxRejectionRate: number;
  minExpectancy: number;
}

/** The configuration defaults: 5 trades, 80 % rejections, expectancy 0. */
export const DEFAULT_HEALTH_SCORE_CONFIG: Readonly<HealthScoreConfig> = Object.freeze({
  minTrades: 5,
  maxRejectionRate: 0.8,
  minExpectancy: 0,
});

/** Status band of a score, or INSUFFICIENT_DATA below minTrades closed trades. */
export type HealthStatus = "HEALTHY" | "WARNING" | "DEGRADED" | "CRITICAL" | "INSUFFICIENT_DATA";

/** A P&L curve's largest fall, in dollars and as a fraction of its peak. */
export interface PnlDrawdown {
  dollars: number;
  /** Largest fall as a fraction of the running peak, over points where that peak was positive; null if never. */
  fraction: number | null;
}

/** A strategy's health over one window; expectancy is mean P&L per closed trade, in dollars. */
export interface StrategyHealth {
  expectancy: number;
  winRate: number;
  maxDrawdown: PnlDrawdown;
  rejectionRate: number;
  trades: number;
  /** Sum of the holding-period outcomes the score counted (0 when it counted none). */
  holdingPnl: number;
  score: number;
  status: HealthStatus;
  recommendations: string[];
}

/** Scores one strategy over one window (formula above). */
export function scoreStrategy(window: StrategyWindow, config: HealthScoreConfig): StrategyHealth {
  const trades = window.closedTrades.length;
  // Too few closed trades to judge: the sessions a position was held are the outcomes that speak.
  const holding = trades < config.minTrades ? (window.holdingPnls ?? []).filter((pnl) => pnl !== 0) : [];
  const holdingPnl = holding.reduce((sum, pnl) => sum + pnl, 0);
  const pnls = [...window.closedTrades.map((trade) => trade.pnl), ...holding];
  const outcomes = pnls.length;
  const gross = pnls.reduce((sum, pnl) => sum + Math.abs(pnl), 0);
  const net = pnls.reduce((sum, pnl) => sum + pnl, 0);
  const expectancy = outcomes === 0 ? 0 : net / outcomes;
  const winRate = outcomes === 0 ? 0 : pnls.filter((pnl) => pnl > 0).length / outcomes;
  const rejectionRate = window.signals > 0 ? Math.min(1, window.rejections / window.signals) : 0;
  const maxDrawdown = pnlDrawdown(window.pnlSeries);

  const edge = gross > 0 ? net / gross : 0;
  const raw = 40 * ((1 + edge) / 2) + 25 * winRate + 20 * rejectionPart(rejectionRate, config) + 15 * drawdownPart(maxDrawdown);
  const score = Math.min(100, Math.max(0, raw));
  const facts = { expectancy, winRate, maxDrawdown, rejectionRate, trades, holdingPnl, score };
  return { ...facts, status: statusOf(facts, config), recommendations: recommend(facts, config) };
}

/** A strategy's history on the session axis, oldest first; the per-session arrays align with `sessions`. */
export interface StrategyHistory {
  sessions: readonly SessionDate[];
  signals: readonly number[];
  rejections: readonly number[];
  pnlSeries: readonly number[];
  closedTrades: readonly ClosedTrade[];
}

/** Scores the short and long trailing windows of a strategy's full history. */
export function scoreStrategyWindows(
  history: StrategyHistory,
  config: HealthScoreConfig,
  shortWindow = 7,
  longWindow = 30,
): { short: StrategyHealth; long: StrategyHealth } {
  return {
    short: scoreStrategy(trailing(history, shortWindow), config),
    long: scoreStrategy(trailing(history, longWindow), config),
  };
}

function trailing(history: StrategyHistory, sessions: number): StrategyWindow {
  const from = Math.max(0, history.sessions.length - sessions);
  const firstSession = history.sessions[from];
  const sum = (values: readonly number[]): number => values.slice(from).reduce((total, value) => total + value, 0);
  const pnlSeries = history.pnlSeries.slice(from);
  const closedTrades = firstSession === undefined ? [] : history.closedTrades.filter((trade) => trade.session >= firstSession);
  return { closedTrades, holdingPnls: holdingPnls(history, from), signals: sum(history.signals), rejections: sum(history.rejections), pnlSeries };
}

/** Per session after `from`: what the P&L curve moved that no trade closed that session explains (the held positions). */
function holdingPnls(history: StrategyHistory, from: number): number[] {
  const changes: number[] = [];
  for (let i = from + 1; i < history.pnlSeries.length; i += 1) {
    const closed = history.closedTrades.filter((trade) => trade.session === history.sessions[i]).reduce((total, trade) => total + trade.pnl, 0);
    const change = history.pnlSeries[i] - history.pnlSeries[i - 1] - closed;
    // Below half a cent is rounding, not an outcome.
    changes.push(Math.abs(change) < 0.005 ? 0 : change);
  }
  return changes;
}

/** Largest fall of a cumulative P&L curve from its running peak. */
export function pnlDrawdown(series: readonly number[]): PnlDrawdown {
  let peak = Number.NEGATIVE_INFINITY;
  let dollars = 0;
  let fraction: number | null = null;
  for (const value of series) {
    peak = Math.max(peak, value);
    dollars = Math.max(dollars, peak - value);
    if (peak > 0) fraction = Math.max(fraction ?? 0, (peak - value) / peak);
  }
  return { dollars, fraction };
}

function rejectionPart(rate: number, config: HealthScoreConfig): number {
  if (config.maxRejectionRate <= 0) return rate > 0 ? 0 : 1;
  return Math.min(1, Math.max(0, 1 - rate / config.maxRejectionRate));
}

function drawdownPart(drawdown: PnlDrawdown): number {
  if (drawdown.fraction === null) return drawdown.dollars > 0 ? 0 : 1;
  return 1 - Math.min(1, drawdown.fraction);
}

type HealthFacts = Omit<StrategyHealth, "status" | "recommendations">;

const BANDS: readonly [number, HealthStatus][] = [[75, "HEALTHY"], [50, "WARNING"], [25, "DEGRADED"]];
const SEVERITY: readonly HealthStatus[] = ["HEALTHY", "WARNING", "DEGRADED", "CRITICAL"];

function statusOf(facts: HealthFacts, config: HealthScoreConfig): HealthStatus {
  // A strategy that held a position through the window is judged on it, however few trades it closed.
  if (facts.trades < config.minTrades && facts.holdingPnl === 0) return "INSUFFICIENT_DATA";
  let status = BANDS.find(([floor]) => facts.score >= floor)?.[1] ?? "CRITICAL";
  if (facts.rejectionRate > config.maxRejectionRate) status = atMost(status, "DEGRADED");
  if (facts.expectancy < config.minExpectancy) status = atMost(status, "WARNING");
  return status;
}

function atMost(status: HealthStatus, best: HealthStatus): HealthStatus {
  return SEVERITY.indexOf(status) < SEVERITY.indexOf(best) ? best : status;
}

function recommend(facts: HealthFacts, config: HealthScoreConfig): string[] {
  const advice: string[] = [];
  if (facts.trades < config.minTrades && facts.holdingPnl === 0) {
    advice.push(`Only ${facts.trades} closed trades (need ${config.minTrades}): too few to judge yet.`);
  }
  if (facts.rejectionRate > config.maxRejectionRate) {
    advice.push(
      `Rejection rate ${ratio(facts.rejectionRate)} above ${ratio(config.maxRejectionRate)}: ` +
        "see the rejections report for the stage that blocks its signals.",
    );
  }
  if (facts.expectancy < config.minExpectancy) {
    advice.push(
      `Expectancy ${money(facts.expectancy)} per trade below ${money(config.minExpectancy)}: ` +
        "review its entry rules or disable it with STRATEGY_DISABLED_LIST.",
    );
  }
  if ((facts.maxDrawdown.fraction ?? 0) > 0.5) {
    advice.push(`P&L fell ${ratio(facts.maxDrawdown.fraction ?? 0)} from its peak: consider smaller sizing.`);
  }
  return advice;
}
