import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { EngineState } from "../engine/index.js";
import { funnelReport, rejectionsReport } from "../safety/index.js";
import { Ledger, roundCents } from "../portfolio/index.js";
import { cagr, monthlyReturns, peakToTrough, worstMonth } from "./metrics.js";
import { exposure, roundTrips, tradesCsv, type Trade, type TradeFill } from "./trades.js";
import type { EquityRecord, FillRecord, Store, StoredEventText } from "../store/index.js";

export const TIMELINE_HEADER = "date,equity,high_water_mark,drawdown,state,sizing_multiplier,orders_submitted";

/** What `summary.json` holds; every figure is derived from the store, so a resumed run reports the whole run. */
export interface RunSummary {
  run_id: string;
  initial_capital: number;
  final_equity: number;
  total_return: number;
  /** Largest peak-to-trough fall of the equity curve (not the safety manager's re-based drawdown). */
  max_drawdown: number;
  max_drawdown_peak: string | null;
  max_drawdown_trough: string | null;
  orders: number;
  fills: number;
  sessions: number;
  first_session: string | null;
  last_session: string | null;
  halts: number;
  panics: number;
  sessions_halted: number;
  dry_run: boolean;
  /** Each strategy's own P&L from its own fills, marked at the last good closes (exact, not apportioned). */
  strategies: Record<string, StrategyPnl>;
  /** The unguarded twin: the same replay without drawdown stop, kill switches and data-quality blocking (absent with --no-twin). */
  twin?: TwinSummary;
}

/** What the unguarded twin of a run ended with; its session rows are in twin_timeline.csv. */
export interface TwinSummary {
  guards: { drawdown: false; kill_switch: false; data_quality: false };
  final_equity: number;
  total_return: number;
  cagr: number | null;
  max_drawdown: number;
  max_drawdown_peak: string | null;
  max_drawdown_trough: string | null;
  worst_month: string | null;
  worst_month_return: number | null;
  /** Share of sessions that closed holding a position. */
  time_in_market: number;
  sessions_halted: number;
  orders: number;
  fills: number;
  trades: number;
}

/** A finished replay to write files of: its store, run id and final engine state. */
export interface FinishedRun {
  store: Store;
  runId: string;
  state: EngineState;
}

/** Buy-and-hold of one symbol over the run's sessions: its closes, oldest first. */
export interface BenchmarkSeries {
  symbol: string;
  closes: { date: string; close: number }[];
}

export const BENCHMARK_HEADER = "date,symbol,close,equity";

export interface StrategyPnl {
  realized_pnl: number;
  unrealized_pnl: number;
  commissions: number;
  total_pnl: number;
  orders: number;
}

/** Writes summary.json, timeline.csv, events.jsonl, signal_funnel.json and signal_rejections.json from the store. */
export function writeRunFiles(
  outDir: string, store: Store, runId: string, state: EngineState,
  facts: { capital: number; dryRun: boolean; twin?: FinishedRun; benchmark?: BenchmarkSeries },
): RunSummary {
  mkdirSync(outDir, { recursive: true });
  const equity = store.listEquity(runId);
  const ordersByStrategy = store.countOrdersByStrategy(runId);
  const fills = store.listFills(runId);
  const stops = writeEventsJsonl(join(outDir, "events.jsonl"), store, runId);
  const twin = facts.twin ? twinSummary(facts.twin, facts.capital) : undefined;
  const counts = { ...stops, orders: sum(ordersByStrategy.values()), fills: fills.length };
  const summary: RunSummary = { ...summarize(runId, equity, counts, facts), strategies: strategyPnl(ordersByStrategy, state), ...(twin ? { twin } : {}) };
  writeJson(join(outDir, "summary.json"), summary);
  writeFileSync(join(outDir, "timeline.csv"), timelineCsv(equity));
  writeFileSync(join(outDir, "trades.csv"), tradesCsv(runTrades({ store, runId, state }, { fills, sessions: equity.map((row) => row.session) })));
  if (facts.twin) writeFileSync(join(outDir, "twin_timeline.csv"), timelineCsv(facts.twin.store.listEquity(facts.twin.runId)));
  if (facts.benchmark) writeFileSync(join(outDir, "benchmark.csv"), benchmarkCsv(facts.benchmark, facts.capital));
  writeJson(join(outDir, "signal_funnel.json"), { run_id: runId, ...funnelReport(state.funnel) });
  writeJson(join(outDir, "signal_rejections.json"), { run_id: runId, rejections: rejectionsReport(state.funnel) });
  return summary;
}

/** The round trips of a finished run, from its fills and the reason each order was placed (`loaded`: rows already read). */
export function runTrades(run: FinishedRun, loaded?: { fills: readonly FillRecord[]; sessions: readonly string[] }): Trade[] {
  const reasons = run.store.submittedOrderReasons(run.runId);
  const fills: TradeFill[] = (loaded?.fills ?? run.store.listFills(run.runId)).map((fill) => ({
    strategyId: fill.strategyId, symbol: fill.symbol, side: fill.side, qty: fill.qty, price: fill.price, commission: fill.commission, session: fill.session,
    reason: reasons.get(fill.clientOrderId) ?? (fill.side === "buy" ? "ENTRY" : "EXIT"),
  }));
  const dates = loaded?.sessions ?? run.store.listEquity(run.runId).map((row) => row.session);
  const index = new Map(dates.map((date, i) => [date, i]));
  return roundTrips(fills, (symbol) => run.state.marks[symbol] ?? 0, dates.at(-1) ?? "", (date) => index.get(date) ?? 0);
}

function twinSummary(twin: FinishedRun, capital: number): TwinSummary {
  const equity = twin.store.listEquity(twin.runId);
  const points = equity.map((row) => ({ date: row.session, equity: row.equity }));
  const finalEquity = equity.at(-1)?.equity ?? capital;
  const worst = peakToTrough(points);
  const month = worstMonth(monthlyReturns(capital, points));
  const trades = runTrades(twin);
  return {
    guards: { drawdown: false, kill_switch: false, data_quality: false },
    final_equity: round(finalEquity, 2),
    total_return: round(finalEquity / capital - 1, 6),
    cagr: nullable(cagr(capital, finalEquity, equity.length), 6),
    max_drawdown: round(worst.drawdown, 6),
    max_drawdown_peak: worst.peak,
    max_drawdown_trough: worst.trough,
    worst_month: month?.month ?? null,
    worst_month_return: month ? round(month.return, 6) : null,
    time_in_market: round(exposure(trades, points.map((point) => point.date)), 6),
    sessions_halted: equity.filter((row) => row.state === "HALTED" || row.state === "PANIC").length,
    orders: sum(twin.store.countOrdersByStrategy(twin.runId).values()),
    fills: twin.store.listFills(twin.runId).length,
    trades: trades.length,
  };
}

function benchmarkCsv(benchmark: BenchmarkSeries, capital: number): string {
  const first = benchmark.closes.find((row) => Number.isFinite(row.close) && row.close > 0)?.close;
  const rows = benchmark.closes.map((row) => [row.date, benchmark.symbol, row.close.toFixed(4), first ? ((capital * row.close) / first).toFixed(2) : "NaN"].join(","));
  return `${[BENCHMARK_HEADER, ...rows].join("\n")}\n`;
}

function nullable(value: number | null, decimals: number): number | null {
  return value === null ? null : round(value, decimals);
}

function strategyPnl(ordersByStrategy: ReadonlyMap<string, number>, state: EngineState): Record<string, StrategyPnl> {
  const ledger = Ledger.fromSnapshot(state.ledger);
  const markOf = (symbol: string) => state.marks[symbol] ?? 0;
  const ids = [...new Set([...ledger.strategyIds(), ...ordersByStrategy.keys()])].sort();
  return Object.fromEntries(
    ids.map((id) => [
      id,
      {
        realized_pnl: roundCents(ledger.realizedPnl(id)),
        unrealized_pnl: roundCents(ledger.unrealizedPnl(id, markOf)),
        commissions: roundCents(ledger.commissions(id)),
        total_pnl: roundCents(ledger.strategyPnl(id, markOf)),
        orders: ordersByStrategy.get(id) ?? 0,
      },
    ]),
  );
}

/** Halts and panics of a run, counted while its events are written. */
interface StopCounts {
  halts: number;
  panics: number;
}

/** What the summary counts: halts and panics (from the events), orders and fills. */
interface RunCounts extends StopCounts {
  orders: number;
  fills: number;
}

/** Bytes of events.jsonl gathered before each write: a long run's events never sit in memory as one string. */
const EVENTS_CHUNK_CHARS = 1 << 20;

/** events.jsonl, one event per line in store order, streamed from the store in chunks. */
function writeEventsJsonl(path: string, store: Store, runId: string): StopCounts {
  const counts: StopCounts = { halts: 0, panics: 0 };
  const fd = openSync(path, "w");
  try {
    let chunk = "";
    store.forEachEvent(runId, (event) => {
      if (event.type === "drawdown_halt") counts.halts += 1;
      if (event.type === "drawdown_panic") counts.panics += 1;
      chunk += `${eventJsonLine(event)}\n`;
      if (chunk.length < EVENTS_CHUNK_CHARS) return;
      writeSync(fd, chunk);
      chunk = "";
    });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return counts;
}

function summarize(runId: string, equity: EquityRecord[], counts: RunCounts, facts: { capital: number; dryRun: boolean }): Omit<RunSummary, "strategies"> {
  const finalEquity = equity.at(-1)?.equity ?? facts.capital;
  const worst = peakToTrough(equity.map((row) => ({ date: row.session, equity: row.equity })));
  return {
    run_id: runId,
    initial_capital: facts.capital,
    final_equity: round(finalEquity, 2),
    total_return: round(finalEquity / facts.capital - 1, 6),
    max_drawdown: round(worst.drawdown, 6),
    max_drawdown_peak: worst.peak,
    max_drawdown_trough: worst.trough,
    orders: counts.orders,
    fills: counts.fills,
    sessions: equity.length,
    first_session: equity[0]?.session ?? null,
    last_session: equity.at(-1)?.session ?? null,
    halts: counts.halts,
    panics: counts.panics,
    sessions_halted: equity.filter((row) => row.state === "HALTED" || row.state === "PANIC").length,
    dry_run: facts.dryRun,
  };
}

function timelineCsv(equity: readonly EquityRecord[]): string {
  const rows = equity.map((row) =>
    [row.session, row.equity.toFixed(2), row.highWaterMark.toFixed(2), row.drawdown.toFixed(6), row.state, row.sizingMultiplier, row.ordersSubmitted].join(","),
  );
  return `${[TIMELINE_HEADER, ...rows].join("\n")}\n`;
}

/**
 * One line of events.jsonl: date, time, type, reason, strategy and symbol when set, detail, then the event's data
 * copied as stored (it was written by JSON.stringify, so parsing and re-serializing it would give the same text).
 */
function eventJsonLine(event: StoredEventText): string {
  const fields = [
    `"date":${JSON.stringify(event.date)}`,
    `"time":${JSON.stringify(new Date(event.ts).toISOString())}`,
    `"type":${JSON.stringify(event.type)}`,
    `"reason":${JSON.stringify(event.reason)}`,
  ];
  if (event.strategy !== undefined) fields.push(`"strategy":${JSON.stringify(event.strategy)}`);
  if (event.symbol !== undefined) fields.push(`"symbol":${JSON.stringify(event.symbol)}`);
  fields.push(`"detail":${JSON.stringify(event.detail)}`);
  if (event.dataJson !== undefined) fields.push(`"data":${event.dataJson}`);
  return `{${fields.join(",")}}`;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
