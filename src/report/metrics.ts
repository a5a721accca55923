import type { RunData } from "./load.js";

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
