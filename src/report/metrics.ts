import type { RunData } from "./load.js";
import { exposure, whipsawCost, type Trade } from "./trades.js";

/** Trading sessions in a year, for annualising. */
export const SESSIONS_PER_YEAR = 252;

/** The facts the metrics are computed from; plain numbers so the metrics can be checked by hand. */
export interface MetricsInput {
  initialCapital: number;
  /** Equity and safety state at each session close, oldest first. */
  sessions: readonly { date: string; equity: number; state: string }[];
  halts: number;
  panics: number;
  orders: number;
  signalsGenerated: number;
  signalsRejected: number;
  /** Round trips (trades.csv); open ones count toward exposure, not toward win rate and the like. */
  trades?: readonly Trade[];
  /** Buy-and-hold of the benchmark symbol: its equity at the last session. */
  benchmark?: { symbol: string; finalEquity: number };
}

/** A dated value, e.g. the best session's return. */
export interface Dated {
  date: string;
  value: number;
}

/** The worst peak-to-trough fall and the dates of its peak and trough. */
export interface PeakToTrough {
  drawdown: number;
  peak: string | null;
  trough: string | null;
}

/** A run's summary metrics; null where a metric is undefined (too few sessions, no variation, no signals). */
export interface RunMetrics {
  totalReturn: number;
  cagr: number | null;
  maxDrawdown: PeakToTrough;
  volatility: number | null;
  sharpe: number | null;
  halts: number;
  panics: number;
  sessionsHalted: number;
  orders: number;
  rejectionRate: number | null;
  sortino: number | null;
  calmar: number | null;
  bestSession: Dated | null;
  worstSession: Dated | null;
  worstMonth: MonthlyReturn | null;
  exposure: number;
  closedTrades: number;
  winRate: number | null;
  profitFactor: number | null;
  expectancy: number | null;
  averageWin: number | null;
  averageLoss: number | null;
  whipsawCost: number;
  benchmarkReturn: { symbol: string; value: number } | null;
}

/** How each metric is computed, as the report prints it. */
export const METRIC_DEFINITIONS: Record<keyof RunMetrics, { label: string; definition: string }> = {
  totalReturn: { label: "Total return", definition: "Final equity ÷ initial capital − 1." },
  cagr: { label: "CAGR", definition: `(Final equity ÷ initial capital)^(${SESSIONS_PER_YEAR} ÷ sessions) − 1: the yearly rate that compounds to the total return, ${SESSIONS_PER_YEAR} sessions a year.` },
  maxDrawdown: { label: "Max drawdown", definition: "Largest fall of the session-close equity from its running peak, as a fraction of that peak; dated peak → trough." },
  volatility: { label: "Volatility (annualised)", definition: `Sample standard deviation of daily returns × √${SESSIONS_PER_YEAR}; a daily return is equity ÷ the previous close's equity − 1 (the first against initial capital).` },
  sharpe: { label: "Sharpe ratio", definition: `Mean daily return ÷ its standard deviation × √${SESSIONS_PER_YEAR}, risk-free rate 0.` },
  halts: { label: "Halts", definition: "Times the drawdown from the high-water mark reached DRAWDOWN_HALT_THRESHOLD (drawdown_halt events)." },
  panics: { label: "Panics", definition: "Times the drawdown reached DRAWDOWN_PANIC_THRESHOLD (drawdown_panic events)." },
  sessionsHalted: { label: "Sessions halted", definition: "Sessions that closed in HALTED or PANIC, when no new entry may open." },
  orders: { label: "Orders", definition: "Orders submitted to the broker (entries, exits and panic flattening)." },
  rejectionRate: { label: "Rejection rate", definition: "Signals stopped at a funnel stage ÷ signals generated." },
  sortino: { label: "Sortino ratio", definition: `Mean daily return ÷ downside deviation × √${SESSIONS_PER_YEAR}; downside deviation = √(mean of min(return, 0)²) over all sessions.` },
  calmar: { label: "Calmar ratio", definition: "CAGR ÷ max drawdown (peak-to-trough)." },
  bestSession: { label: "Best session", definition: "Largest daily return, with its date." },
  worstSession: { label: "Worst session", definition: "Smallest daily return, with its date." },
  worstMonth: { label: "Worst month", definition: "Smallest monthly return: a month's last close ÷ the previous month's last close − 1 (the first month against initial capital)." },
  exposure: { label: "Exposure (time in market)", definition: "Share of session closes at which some position was held (from trades.csv)." },
  closedTrades: { label: "Closed trades", definition: "Round trips from flat to flat, per strategy and symbol (adds and partial exits fold in at average cost); open ones not counted." },
  winRate: { label: "Win rate", definition: "Closed trades with P&L > 0 ÷ closed trades." },
  profitFactor: { label: "Profit factor", definition: "Sum of winning trades' P&L ÷ the absolute sum of losing trades' P&L (n/a without a loss)." },
  expectancy: { label: "Expectancy", definition: "Mean P&L per closed trade, in dollars, commissions included." },
  averageWin: { label: "Average win", definition: "Mean P&L of the closed trades with P&L > 0." },
  averageLoss: { label: "Average loss", definition: "Mean P&L of the closed trades with P&L ≤ 0." },
  whipsawCost: { label: "Whipsaw cost", definition: "For each PANIC_FLATTEN exit: (price of the next buy-back − panic sale price) × quantity, summed: what selling in a panic and buying back higher cost (negative: it bought back cheaper)." },
  benchmarkReturn: { label: "Benchmark return", definition: "Buy-and-hold of the benchmark symbol: its last close ÷ its close at the first session − 1." },
};

/** Computes every summary metric (definitions in METRIC_DEFINITIONS). */
export function computeMetrics(input: MetricsInput): RunMetrics {
  const equity = input.sessions.map((session) => session.equity);
  const finalEquity = equity.at(-1) ?? input.initialCapital;
  const returns = dailyReturns(input.initialCapital, equity);
  const deviation = sampleStdev(returns);
  return {
    totalReturn: finalEquity / input.initialCapital - 1,
    cagr: cagr(input.initialCapital, finalEquity, equity.length),
    maxDrawdown: peakToTrough(input.sessions),
    volatility: deviation === null ? null : deviation * Math.sqrt(SESSIONS_PER_YEAR),
    sharpe: deviation === null || deviation === 0 ? null : (mean(returns) / deviation) * Math.sqrt(SESSIONS_PER_YEAR),
    halts: input.halts,
    panics: input.panics,
    sessionsHalted: input.sessions.filter((session) => session.state === "HALTED" || session.state === "PANIC").length,
    orders: input.orders,
    rejectionRate: input.signalsGenerated > 0 ? input.signalsRejected / input.signalsGenerated : null,
    ...riskMetrics(input, returns),
    ...tradeMetrics(input.trades ?? [], input.sessions.map((session) => session.date)),
    benchmarkReturn: input.benchmark ? { symbol: input.benchmark.symbol, value: input.benchmark.finalEquity / input.initialCapital - 1 } : null,
  };
}

function riskMetrics(input: MetricsInput, returns: readonly number[]): Pick<RunMetrics, "sortino" | "calmar" | "bestSession" | "worstSession" | "worstMonth"> {
  const downside = returns.length > 0 ? Math.sqrt(mean(returns.map((value) => Math.min(0, value) ** 2))) : 0;
  const growth = cagr(input.initialCapital, input.sessions.at(-1)?.equity ?? input.initialCapital, input.sessions.length);
  const worst = peakToTrough(input.sessions).drawdown;
  const dated = returns.map((value, i) => ({ date: input.sessions[i].date, value }));
  return {
    sortino: downside > 0 ? (mean(returns) / downside) * Math.sqrt(SESSIONS_PER_YEAR) : null,
    calmar: growth !== null && worst > 0 ? growth / worst : null,
    bestSession: dated.reduce<Dated | null>((best, day) => (best === null || day.value > best.value ? day : best), null),
    worstSession: dated.reduce<Dated | null>((low, day) => (low === null || day.value < low.value ? day : low), null),
    worstMonth: worstMonth(monthlyReturns(input.initialCapital, input.sessions)),
  };
}

type TradeMetrics = Pick<RunMetrics, "exposure" | "closedTrades" | "winRate" | "profitFactor" | "expectancy" | "averageWin" | "averageLoss" | "whipsawCost">;

function tradeMetrics(trades: readonly Trade[], dates: readonly string[]): TradeMetrics {
  const closed = trades.filter((trade) => trade.exitReason !== "OPEN").map((trade) => trade.pnl);
  const wins = closed.filter((pnl) => pnl > 0);
  const losses = closed.filter((pnl) => pnl <= 0);
  const lost = -losses.reduce((sum, pnl) => sum + pnl, 0);
  return {
    exposure: exposure(trades, dates),
    closedTrades: closed.length,
    winRate: closed.length > 0 ? wins.length / closed.length : null,
    profitFactor: lost > 0 ? wins.reduce((sum, pnl) => sum + pnl, 0) / lost : null,
    expectancy: closed.length > 0 ? mean(closed) : null,
    averageWin: wins.length > 0 ? mean(wins) : null,
    averageLoss: losses.length > 0 ? mean(losses) : null,
    whipsawCost: whipsawCost(trades).dollars,
  };
}

/** The metrics of a loaded run. */
export function runMetrics(data: RunData): RunMetrics {
  const strategies = Object.values(data.funnel.strategies);
  return computeMetrics({
    initialCapital: data.summary.initial_capital,
    sessions: data.timeline,
    halts: data.events.filter((event) => event.type === "drawdown_halt").length,
    panics: data.events.filter((event) => event.type === "drawdown_panic").length,
    orders: data.summary.orders,
    signalsGenerated: strategies.reduce((sum, strategy) => sum + (strategy.counts.generated ?? 0), 0),
    signalsRejected: data.rejections.reduce((sum, row) => sum + row.count, 0),
    trades: data.trades,
    ...(data.benchmark?.rows.length ? { benchmark: { symbol: data.benchmark.symbol, finalEquity: data.benchmark.rows[data.benchmark.rows.length - 1].equity } } : {}),
  });
}

/** Each close's return over the close before it; the first is over `initialCapital`. */
export function dailyReturns(initialCapital: number, equity: readonly number[]): number[] {
  return equity.map((value, i) => value / (i === 0 ? initialCapital : equity[i - 1]) - 1);
}

/** Compound yearly growth over `sessions` sessions; null without sessions, −1 when everything was lost. */
export function cagr(initialCapital: number, finalEquity: number, sessions: number): number | null {
  if (sessions === 0) return null;
  if (finalEquity <= 0) return -1;
  return (finalEquity / initialCapital) ** (SESSIONS_PER_YEAR / sessions) - 1;
}

/** Peak-to-trough maximum drawdown of dated equity points (the same measure summary.json reports). */
export function peakToTrough(points: readonly { date: string; equity: number }[]): PeakToTrough {
  let peak = Number.NEGATIVE_INFINITY;
  let peakDate: string | null = null;
  let worst: PeakToTrough = { drawdown: 0, peak: null, trough: null };
  for (const point of points) {
    if (point.equity > peak) {
      peak = point.equity;
      peakDate = point.date;
    }
    const drawdown = peak > 0 ? 1 - point.equity / peak : 0;
    if (drawdown > worst.drawdown) worst = { drawdown, peak: peakDate, trough: point.date };
  }
  return worst;
}

/** Sample (n − 1) standard deviation; null below two values. */
export function sampleStdev(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const average = mean(values);
  const squares = values.reduce((sum, value) => sum + (value - average) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** One calendar month's return: its last close over the previous month's last close (the first month over initial capital). */
export interface MonthlyReturn {
  month: string;
  return: number;
}

/** Month-by-month returns of dated session-close equity. */
export function monthlyReturns(initialCapital: number, sessions: readonly { date: string; equity: number }[]): MonthlyReturn[] {
  const lastOfMonth = new Map<string, number>();
  for (const session of sessions) lastOfMonth.set(session.date.slice(0, 7), session.equity);
  let previous = initialCapital;
  return [...lastOfMonth.entries()].map(([month, equity]) => {
    const result = { month, return: previous > 0 ? equity / previous - 1 : 0 };
    previous = equity;
    return result;
  });
}

/** The worst month, or null without sessions. */
export function worstMonth(months: readonly MonthlyReturn[]): MonthlyReturn | null {
  return months.reduce<MonthlyReturn | null>((worst, month) => (worst === null || month.return < worst.return ? month : worst), null);
}
