import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineState } from "../engine/index.js";
import { funnelReport, rejectionsReport } from "../safety/index.js";
import { Ledger, roundCents } from "../portfolio/index.js";
import { peakToTrough } from "./metrics.js";
import type { EquityRecord, Store, StoredEvent } from "../store/index.js";

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
}

export interface StrategyPnl {
  realized_pnl: number;
  unrealized_pnl: number;
  commissions: number;
  total_pnl: number;
  orders: number;
}

/** Writes summary.json, timeline.csv, events.jsonl, signal_funnel.json and signal_rejections.json from the store. */
export function writeRunFiles(outDir: string, store: Store, runId: string, state: EngineState, facts: { capital: number; dryRun: boolean }): RunSummary {
  mkdirSync(outDir, { recursive: true });
  const equity = store.listEquity(runId);
  const events = store.listEvents(runId);
  const summary = { ...summarize(runId, equity, events, store, facts), strategies: strategyPnl(store, runId, state) };
  writeJson(join(outDir, "summary.json"), summary);
  writeFileSync(join(outDir, "timeline.csv"), timelineCsv(equity));
  writeFileSync(join(outDir, "events.jsonl"), events.map((event) => `${JSON.stringify(eventLine(event))}\n`).join(""));
  writeJson(join(outDir, "signal_funnel.json"), { run_id: runId, ...funnelReport(state.funnel) });
  writeJson(join(outDir, "signal_rejections.json"), { run_id: runId, rejections: rejectionsReport(state.funnel) });
  return summary;
}

function strategyPnl(store: Store, runId: string, state: EngineState): Record<string, StrategyPnl> {
  const ledger = Ledger.fromSnapshot(state.ledger);
  const markOf = (symbol: string) => state.marks[symbol] ?? 0;
  const orders = store.listOrders(runId);
  const ids = [...new Set([...ledger.strategyIds(), ...orders.map((order) => order.strategyId)])].sort();
  return Object.fromEntries(
    ids.map((id) => [
      id,
      {
        realized_pnl: roundCents(ledger.realizedPnl(id)),
        unrealized_pnl: roundCents(ledger.unrealizedPnl(id, markOf)),
        commissions: roundCents(ledger.commissions(id)),
        total_pnl: roundCents(ledger.strategyPnl(id, markOf)),
        orders: orders.filter((order) => order.strategyId === id).length,
      },
    ]),
  );
}

function summarize(runId: string, equity: EquityRecord[], events: StoredEvent[], store: Store, facts: { capital: number; dryRun: boolean }): Omit<RunSummary, "strategies"> {
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
    orders: store.listOrders(runId).length,
    fills: store.listFills(runId).length,
    sessions: equity.length,
    first_session: equity[0]?.session ?? null,
    last_session: equity.at(-1)?.session ?? null,
    halts: events.filter((event) => event.type === "drawdown_halt").length,
    panics: events.filter((event) => event.type === "drawdown_panic").length,
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

function eventLine(event: StoredEvent): Record<string, unknown> {
  return {
    date: event.date,
    time: new Date(event.ts).toISOString(),
    type: event.type,
    reason: event.reason,
    ...(event.strategy !== undefined ? { strategy: event.strategy } : {}),
    ...(event.symbol !== undefined ? { symbol: event.symbol } : {}),
    detail: event.detail,
    ...(event.data !== undefined ? { data: event.data } : {}),
  };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
