import type { Order } from "../broker/types.js";
import type { SessionDate, TradingCalendar } from "../clock/types.js";
import { sessionDateOf } from "../clock/index.js";
import type { DailyBar } from "../data/feed.js";
import { floorQty } from "../portfolio/index.js";
import { decodeJson } from "./codec.js";
import type { InvocationRecording } from "./recording.js";

/** A fill as the venue reported it and as the simulated broker (SLIPPAGE_BPS=0) would have made it. */
export interface FillComparison {
  clientOrderId: string;
  symbol: string;
  side: Order["side"];
  real: { qty: number; price: number; time: number | null };
  /** Null when the recording has no bar for the session the simulated broker would have filled in. */
  simulated: { qty: number; price: number; time: number; session: SessionDate } | null;
  /** Signed, adverse positive: what the real fill cost beyond the simulated one, in basis points. */
  slippageBps: number | null;
}

export interface SlippageSummary {
  fills: number;
  meanBps: number;
  medianBps: number;
  p90Bps: number;
  /** The median adverse slippage rounded up to a whole basis point (never below 0). */
  suggestedSlippageBps: number;
}

export interface FillsReport {
  fills: FillComparison[];
  summary: SlippageSummary | null;
}

/** Answers that carry orders, and how to read them. */
const ORDER_ANSWERS: Record<string, (answer: unknown) => Order[]> = {
  submitOrder: (answer) => [answer as Order],
  getOrderByClientOrderId: (answer) => (answer === null ? [] : [answer as Order]),
  listOrders: (answer) => answer as Order[],
  closeAllPositions: (answer) => answer as Order[],
};

/** Every recorded fill next to the simulated broker's fill at the next session's open, with the slippage between them. */
export function compareFills(recording: readonly InvocationRecording[], calendar: TradingCalendar): FillsReport {
  const calls = recording.flatMap((process) => process.cycles.flatMap((cycle) => cycle.calls)).filter((call) => call.answerJson !== null);
  const bars = new Map<string, DailyBar>();
  const orders = new Map<string, Order>();
  for (const call of calls) {
    const answer = decodeJson(call.answerJson as string);
    if (call.port === "bars") for (const bar of answer as DailyBar[]) bars.set(barKey(bar.symbol, bar.date), bar);
    // The latest read of an order is what it filled in the end.
    else for (const order of ORDER_ANSWERS[call.method]?.(answer) ?? []) orders.set(order.id, order);
  }
  const fills = [...orders.values()]
    .filter((order) => order.filledQty > 0 && order.filledAvgPrice !== null)
    .map((order) => compareFill(order, bars, calendar));
  return { fills, summary: summarise(fills.flatMap((fill) => (fill.slippageBps === null ? [] : [fill.slippageBps]))) };
}

function compareFill(order: Order, bars: ReadonlyMap<string, DailyBar>, calendar: TradingCalendar): FillComparison {
  const real = { qty: order.filledQty, price: order.filledAvgPrice as number, time: order.filledAt };
  const session = fillSession(order.submittedAt, calendar);
  const open = bars.get(barKey(order.symbol, session))?.open;
  const base = { clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, real };
  if (open === undefined || !(open > 0)) return { ...base, simulated: null, slippageBps: null };
  const qty = order.qty ?? floorQty((order.notional ?? 0) / open, true);
  const adverse = order.side === "buy" ? real.price / open - 1 : 1 - real.price / open;
  return { ...base, simulated: { qty, price: open, time: calendar.openTime(session), session }, slippageBps: roundBps(adverse * 1e4) };
}

/** The simulated broker fills a market order at the first open after it was submitted. */
function fillSession(submittedAt: number, calendar: TradingCalendar): SessionDate {
  const day = sessionDateOf(submittedAt);
  return calendar.isSession(day) && submittedAt < calendar.openTime(day) ? day : calendar.nextSession(day);
}

function summarise(bps: readonly number[]): SlippageSummary | null {
  if (bps.length === 0) return null;
  const sorted = [...bps].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    fills: sorted.length,
    meanBps: roundBps(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    medianBps: roundBps(median),
    p90Bps: sorted[Math.ceil(0.9 * sorted.length) - 1],
    suggestedSlippageBps: Math.max(0, Math.ceil(roundBps(median))),
  };
}

/** Hundredths of a basis point: below that is float noise, which must not push a suggestion up a whole point. */
function roundBps(bps: number): number {
  return Math.round(bps * 100) / 100;
}

function barKey(symbol: string, date: SessionDate): string {
  return `${symbol} ${date}`;
}
