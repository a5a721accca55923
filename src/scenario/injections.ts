import type { BrokerFault } from "../broker/index.js";
import type { SessionDate } from "../clock/index.js";
import type { BarStore } from "../data/index.js";
import { KILL_SWITCH_STATE_KEY, type KillSwitchOverride, type ReplayHooks, type SessionContext } from "../engine/index.js";
import type { PreparedReplay } from "../job/index.js";
import { drawdownOf, lastGoodClose } from "../safety/index.js";
import type { Injection, Scenario } from "./schema.js";
import { ScenarioError } from "./walker.js";

type Action = (index: number) => void;
type Of<K extends Injection["kind"]> = Extract<Injection, { kind: K }>;

const PRICE_FIELDS = ["open", "high", "low", "close"] as const;

/**
 * Wires the scenario's injections into the replay: broker faults go to the simulated broker now, the rest
 * run on the clock, in `beforeSession` of their session (bars of that session and later are changed in the
 * replay's own copy, never in a data file), and restarts in `restartAfter`.
 */
export function applyInjections(scenario: Scenario, prepared: PreparedReplay): ReplayHooks {
  const schedule = new Map<SessionDate, Action[]>();
  const drawdowns = new Map<SessionDate, Of<"drawdown">>();
  const restarts = new Set<SessionDate>();
  const faults: BrokerFault[] = [];
  const at = (date: SessionDate, action: Action) => schedule.set(date, [...(schedule.get(date) ?? []), action]);
  for (const injection of scenario.injections) {
    checkNames(scenario, prepared, injection);
    const fail = (message: string) => new ScenarioError(scenario.file, injection.path, message);
    switch (injection.kind) {
      case "restart":
        restarts.add(injection.date);
        break;
      case "broker_fault":
        faults.push(brokerFault(prepared.deps.bars, injection));
        break;
      case "drawdown":
        drawdowns.set(injection.date, injection);
        break;
      case "stale_feed":
        for (const date of sessionsFrom(prepared.deps.bars, injection.from, injection.sessions)) {
          at(date, (index) => (prepared.deps.bars.series(injection.symbol).present[index] = 0));
        }
        break;
      default:
        at(injection.date, (index) => applyOnSession(prepared, injection, index, fail));
    }
  }
  prepared.venue.setFaults(faults);
  return {
    beforeSession(date, index) {
      for (const action of schedule.get(date) ?? []) action(index);
    },
    afterOpen(date, index, ctx) {
      const injection = drawdowns.get(date);
      if (injection) shockToDrawdown(prepared, injection, index, ctx, (message) => new ScenarioError(scenario.file, injection.path, message));
    },
    restartAfter: (date) => restarts.has(date),
  };
}

type OnSession = Exclude<Injection, Of<"restart"> | Of<"broker_fault"> | Of<"stale_feed"> | Of<"drawdown">>;

function applyOnSession(prepared: PreparedReplay, injection: OnSession, index: number, fail: (message: string) => Error): void {
  const { bars, store } = prepared.deps;
  switch (injection.kind) {
    case "nan_values":
      for (const field of injection.fields) bars.series(injection.symbol)[field][index] = Number.NaN;
      return;
    case "bad_bar":
      for (const [field, value] of Object.entries(injection.values)) bars.series(injection.symbol)[field as keyof typeof injection.values][index] = value;
      return;
    case "price_shock":
      scaleFrom(bars, injection.symbol, index, 1 + injection.pct);
      return;
    case "kill_switch": {
      const current = store.getSystemState<KillSwitchOverride>(KILL_SWITCH_STATE_KEY) ?? {};
      const next: KillSwitchOverride = injection.strategy
        ? { ...current, strategies: { ...current.strategies, [injection.strategy]: injection.on } }
        : { ...current, global: injection.on };
      store.setSystemState(KILL_SWITCH_STATE_KEY, next);
      return;
    }
    case "reconciliation_drift":
      prepared.venue.adjustPosition(injection.symbol, injection.qty);
      return;
  }
}

/**
 * Scales the held symbols' prices from this session on by one factor k, chosen after the open's fills from the
 * engine's book (cash, holdings, high-water mark H) and this session's close so that equity at the close is
 * H × (1 − to): equity is cash + k × holdings' value, so k = (H × (1 − to) − cash) / value.
 */
function shockToDrawdown(prepared: PreparedReplay, injection: Of<"drawdown">, index: number, ctx: SessionContext, fail: (message: string) => Error): void {
  const { bars, config } = prepared.deps;
  const { ledger } = ctx;
  const held = [...ledger.qtyBySymbol().keys()];
  if (held.length === 0) throw fail(`nothing is held at ${injection.date}; a drawdown shocks the held symbols`);
  const absent = held.find((symbol) => bars.series(symbol).present[index] === 0);
  if (absent) throw fail(`${absent} has no bar at ${injection.date}`);
  const highWaterMark = ctx.state.drawdown.highWaterMark;
  const equityAt = (k: number) => ledger.equity((symbol) => bars.series(symbol).close[index] * k);
  let k = (highWaterMark * (1 - injection.to) - ledger.cash) / (equityAt(1) - ledger.cash);
  if (!(k > 0)) throw fail(`cash alone (${ledger.cash.toFixed(2)}) is above the target equity; no price fall reaches a drawdown of ${injection.to}`);
  // Float rounding may leave d a hair under `to`; step k down until the engine's own formula reaches it.
  while (drawdownOf(equityAt(k), highWaterMark) < injection.to) k -= k * Number.EPSILON;
  const moveOf = (symbol: string) => (bars.series(symbol).close[index] * k) / lastGoodClose(bars.series(symbol), index - 1, config.OUTLIER_MAX_MOVE) - 1;
  const outlier = held.find((symbol) => Math.abs(moveOf(symbol)) > config.OUTLIER_MAX_MOVE);
  if (outlier) throw fail(`${outlier} would move ${(moveOf(outlier) * 100).toFixed(1)}% in one session, more than OUTLIER_MAX_MOVE, and be blocked as an outlier`);
  for (const symbol of held) scaleFrom(bars, symbol, index, k);
}

/** A gap that carries into later prices: this session's and every later OHLC times `factor`. */
function scaleFrom(bars: BarStore, symbol: string, index: number, factor: number): void {
  const series = bars.series(symbol);
  for (const field of PRICE_FIELDS) {
    for (let i = index; i < series[field].length; i++) series[field][i] *= factor;
  }
}

function brokerFault(bars: BarStore, injection: Of<"broker_fault">): BrokerFault {
  const fromIndex = bars.indexOf(injection.from);
  return { kind: injection.fault, fromIndex, toIndex: fromIndex + injection.sessions - 1, rate: injection.rate };
}

/** `count` sessions of the bar axis starting at `from` (fewer when the data ends first). */
function sessionsFrom(bars: BarStore, from: SessionDate, count: number): SessionDate[] {
  const start = bars.indexOf(from);
  return bars.sessions.slice(start, start + count);
}

function checkNames(scenario: Scenario, prepared: PreparedReplay, injection: Injection): void {
  const symbol = "symbol" in injection ? injection.symbol : undefined;
  if (symbol !== undefined && !prepared.deps.bars.has(symbol)) {
    throw new ScenarioError(scenario.file, `${injection.path}.symbol`, `${symbol} is not in the data (loaded: ${prepared.deps.bars.symbols.join(", ")})`);
  }
  const strategy = injection.kind === "kill_switch" ? injection.strategy : undefined;
  if (strategy !== undefined && !prepared.deps.strategies.some((candidate) => candidate.id === strategy)) {
    const ids = prepared.deps.strategies.map((candidate) => candidate.id).join(", ");
    throw new ScenarioError(scenario.file, `${injection.path}.strategy`, `no strategy with id ${strategy} (ids: ${ids})`);
  }
}
