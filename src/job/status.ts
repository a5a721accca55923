import type { SessionDate } from "../clock/index.js";
import type { Config } from "../config/index.js";
import { effectiveKillSwitches, ENGINE_STATE_KEY, KILL_SWITCH_STATE_KEY, queuedOperatorOrders, type EngineState, type KillSwitchOverride } from "../engine/index.js";
import type { FlattenObligation, HealthCheckItem } from "../safety/index.js";
import type { StoredEvent, Store } from "../store/index.js";
import { isTradeProcessRunning, TRADE_PROCESS_STATE_KEY, type TradeProcessMark } from "./processMark.js";

/** What `tradeguard status --json` prints: a bot's state as its store holds it, snake_case like the run files. */
export interface BotStatus {
  state: string;
  /** Sessions left in the cooldown (HALTED, PANIC) or the ramp-up (RAMPUP); null when ACTIVE. */
  sessions_left: number | null;
  high_water_mark: number;
  /** At the last session's close; null before the first session. */
  drawdown: number | null;
  sizing_multiplier: number | null;
  kill_switches: { global: boolean; strategies: string[] };
  last_health_check: { session: SessionDate; passed: boolean; checks: HealthCheckItem[] } | null;
  last_reconciliation: { session: SessionDate; clean: boolean; mismatched_symbols: string[]; last_mismatch: { date: SessionDate; detail: string } | null } | null;
  open_orders: { client_order_id: string; symbol: string; side: string; strategy: string | null; session: SessionDate; reason: string }[];
  flatten_pending: FlattenObligation | null;
  blocked_symbols: { symbol: string; reasons: { code: string; detail: string }[] }[];
  last_session: SessionDate | null;
  /** True or false on the host that runs the bot; null when the mark was written on another host. */
  running: boolean | null;
  process: TradeProcessMark | null;
}

/** Reads a bot's status from its store; nothing is written. */
export function botStatus(store: Store): BotStatus {
  const engine = store.getSystemState<EngineState>(ENGINE_STATE_KEY);
  const run = store.latestRun();
  const eventsOf = (type: string, session?: SessionDate | null): StoredEvent[] => (run ? store.listEvents(run.runId, { type, session: session ?? undefined }) : []);
  const last = run ? store.listEquity(run.runId).at(-1) : undefined;
  const mark = store.getSystemState<TradeProcessMark>(TRADE_PROCESS_STATE_KEY);
  const drawdown = engine?.drawdown;
  return {
    state: drawdown?.mode ?? "ACTIVE",
    sessions_left: sessionsLeft(drawdown),
    high_water_mark: drawdown?.highWaterMark ?? (run?.config as Partial<Config> | undefined)?.INITIAL_CAPITAL ?? 0,
    drawdown: last?.drawdown ?? null,
    sizing_multiplier: last?.sizingMultiplier ?? null,
    kill_switches: killSwitches(store, run?.config as Partial<Config> | undefined),
    last_health_check: engine?.lastHealthCheck ? { session: engine.lastHealthCheck.session, passed: engine.lastHealthCheck.passed, checks: engine.lastHealthCheck.checks } : null,
    last_reconciliation: lastReconciliation(engine, eventsOf("reconciliation_mismatch")),
    open_orders: openOrders(store, engine),
    flatten_pending: engine?.flattenObligation ?? null,
    blocked_symbols: engine?.lastSession ? blockedSymbols(eventsOf("symbol_blocked", engine.lastSession)) : [],
    last_session: engine?.lastSession ?? null,
    running: isTradeProcessRunning(mark),
    process: mark ?? null,
  };
}

function sessionsLeft(drawdown: EngineState["drawdown"] | undefined): number | null {
  switch (drawdown?.mode) {
    case "HALTED":
    case "PANIC":
      return drawdown.cooldownRemaining;
    case "RAMPUP":
      return drawdown.rampupRemaining;
    default:
      return null;
  }
}

/** The switches the next session obeys: the run's configuration with `tradeguard kill`'s override on top. */
function killSwitches(store: Store, config: Partial<Config> | undefined): BotStatus["kill_switches"] {
  const override = store.getSystemState<KillSwitchOverride>(KILL_SWITCH_STATE_KEY) ?? {};
  const configured = { TRADING_DISABLED: config?.TRADING_DISABLED ?? false, STRATEGY_DISABLED_LIST: config?.STRATEGY_DISABLED_LIST ?? [] };
  const effective = effectiveKillSwitches(configured, override);
  return { global: effective.global, strategies: [...effective.strategies].sort() };
}

/** Every session reconciles; the state keeps the symbols that disagreed, the events the last mismatch found. */
function lastReconciliation(engine: EngineState | undefined, mismatches: readonly StoredEvent[]): BotStatus["last_reconciliation"] {
  if (!engine?.lastSession) return null;
  const mismatch = mismatches.at(-1);
  return {
    session: engine.lastSession,
    clean: engine.reconciliationMismatches.length === 0,
    mismatched_symbols: engine.reconciliationMismatches,
    last_mismatch: mismatch ? { date: mismatch.date, detail: mismatch.detail } : null,
  };
}

/** The engine's followed orders (one row per order), then the operator's orders it has not taken over yet. */
function openOrders(store: Store, engine: EngineState | undefined): BotStatus["open_orders"] {
  // An operator's order is followed once per strategy holding its symbol; it is one order at the venue.
  const followed = [...new Map((engine?.openOrders ?? []).map((order) => [order.orderId, order])).values()];
  return [
    ...followed.map((order) => ({ client_order_id: order.clientOrderId, symbol: order.symbol, side: order.side, strategy: order.operatorShare ? null : order.strategyId, session: order.session, reason: order.reason })),
    ...queuedOperatorOrders(store).map((order) => ({ client_order_id: order.clientOrderId, symbol: order.symbol, side: "sell", strategy: null, session: order.session, reason: "OPERATOR_FLATTEN" })),
  ];
}

/** Symbols the last session kept out of trading (its symbol_blocked events), with each check that failed. */
function blockedSymbols(events: readonly StoredEvent[]): BotStatus["blocked_symbols"] {
  const bySymbol = new Map<string, { code: string; detail: string }[]>();
  for (const event of events) {
    if (event.symbol === undefined) continue;
    bySymbol.set(event.symbol, [...(bySymbol.get(event.symbol) ?? []), { code: event.reason, detail: event.detail }]);
  }
  return [...bySymbol].map(([symbol, reasons]) => ({ symbol, reasons })).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}
