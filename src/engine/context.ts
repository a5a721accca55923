import type { Broker, Order, OrderSide } from "../broker/types.js";
import type { Clock, SessionDate, TradingCalendar } from "../clock/types.js";
import type { Config } from "../config/index.js";
import type { BarStore } from "../data/barStore.js";
import type { PipelineEvent } from "../events/types.js";
import type { Notifier } from "../notify/index.js";
import type { Ledger } from "../portfolio/index.js";
import type { ArtifactSink } from "./ports.js";
import { BarVerdicts, type DrawdownState, type FlattenObligation, type Funnel, type FunnelStage, type HealthCheckResult, type QualityReason } from "../safety/index.js";
import type { SymbolBars } from "../data/barStore.js";
import type { NewFill, NewSignal, Store } from "../store/index.js";
import type { Strategy } from "../strategies/index.js";

/** Everything a run is wired with; chosen once, by the CLI or the scenario runner. */
export interface EngineDeps {
  runId: string;
  /** Account label hashed into idempotency keys, so two bots on one db never share intents. */
  account: string;
  config: Config;
  calendar: TradingCalendar;
  clock: Clock;
  bars: BarStore;
  broker: Broker;
  store: Store;
  strategies: readonly Strategy[];
  notifier: Notifier;
  artifacts: ArtifactSink;
  /** Extra writes that belong in each session's transaction (a simulated venue's snapshot). */
  sessionWriters?: readonly ((store: Store) => void)[];
  /**
   * Which safety rules may stop a signal; all on when absent. The unguarded twin of a replay turns
   * them off to measure what the rules cost and saved; a real bot never does.
   */
  guards?: Guards;
  /**
   * How long artifacts stay on disk: `"all"` keeps every one (a replay, whose artifacts are its
   * evidence), `"config"` or absent deletes those older than ARTIFACT_RETENTION_DAYS (a live bot's disk).
   */
  artifactRetention?: "all" | "config";
  /** Where this run's files and store live, so alerts can name exact `tradeguard` commands. */
  runFolder?: { out: string; db: string };
}

/** Switches of the rules that stop signals: drawdown stop, kill switches, data-quality blocking. */
export interface Guards {
  drawdown: boolean;
  killSwitch: boolean;
  dataQuality: boolean;
}

/** The guards of `deps`: every rule on unless switched off. */
export function guardsOf(deps: EngineDeps): Guards {
  return deps.guards ?? { drawdown: true, killSwitch: true, dataQuality: true };
}

/** An order the engine placed and still follows until the broker says it is done. */
export interface TrackedOrder {
  orderId: string;
  clientOrderId: string;
  idempotencyKey: string;
  strategyId: string;
  symbol: string;
  side: OrderSide;
  session: SessionDate;
  reason: string;
  /** Dollars this order may still spend (buys), so later sessions do not promise the same cash twice. */
  reservedNotional: number;
  /** Quantity, value and commission already booked into the ledger. */
  bookedQty: number;
  bookedValue: number;
  bookedCommission: number;
  /**
   * Set on an order an operator placed (`tradeguard flatten`), which the venue filled for the whole book: this
   * strategy's share is the order's filled quantity beyond `afterQty`, up to `qty`.
   */
  operatorShare?: { afterQty: number; qty: number };
}

/** One closed round trip of a strategy, for the health scorer. */
export interface ClosedTrade {
  session: SessionDate;
  pnl: number;
}

/** What the health scorer remembers per strategy per session (bounded to the long window). */
export interface StrategySessionRecord {
  session: SessionDate;
  cumulativePnl: number;
  closedTrades: ClosedTrade[];
  signals: number;
  rejections: number;
}

/** The engine's state between sessions: plain JSON, persisted in `system_state` in each session's transaction. */
export interface EngineState {
  lastSession: SessionDate | null;
  drawdown: DrawdownState;
  ledger: ReturnType<Ledger["snapshot"]>;
  openOrders: TrackedOrder[];
  funnel: Funnel;
  health: Record<string, StrategySessionRecord[]>;
  /** Last good close per symbol, the mark used when today's bar is blocked. */
  marks: Record<string, number>;
  /** Symbols whose internal and broker positions disagreed at the last check. */
  reconciliationMismatches: string[];
  /** The PANIC flatten still owed; persisted so a restart keeps trying to get flat. */
  flattenObligation: FlattenObligation | null;
  /** The last post-cooldown health check with every sub-check, for `tradeguard status`. */
  lastHealthCheck?: { session: SessionDate } & HealthCheckResult;
  /** The kill switches the last session obeyed, so the first session that sees a flip records it. */
  killSwitch?: { global: boolean; strategies: string[] };
}

/** A strategy's wish for one symbol, followed through the funnel. */
export interface Signal {
  strategyId: string;
  symbol: string;
  targetWeight: number;
  side: OrderSide;
  /** Entries open or increase exposure; exits reduce it. */
  isEntry: boolean;
  /** Dollar value held at the decision close and the raw target value before any multiplier. */
  currentValue: number;
  targetValue: number;
  price: number;
  reason: string;
  /** A PANIC_FLATTEN exit, sent by the engine's flatten obligation rather than a strategy. */
  flatten?: boolean;
  /** Set when a stage stops it. */
  stoppedAt?: FunnelStage;
  stopReason?: string;
  order?: PlannedOrder;
}

/** A sized order ready for idempotency and the broker. */
export interface PlannedOrder {
  notional?: number;
  qty?: number;
}

export interface SymbolQuality {
  blocked: boolean;
  reasons: QualityReason[];
  markPrice: number;
}

/** The working memory of one session: built at the open, filled stage by stage, persisted at the close. */
export interface SessionContext {
  readonly deps: EngineDeps;
  readonly date: SessionDate;
  readonly index: number;
  state: EngineState;
  ledger: Ledger;
  events: PipelineEvent[];
  signalRows: NewSignal[];
  quality: Map<string, SymbolQuality>;
  equity: number;
  drawdown: number;
  brokerReachable: boolean;
  brokerError?: string;
  killSwitch: { global: boolean; strategies: ReadonlySet<string> };
  healthCheck?: HealthCheckResult;
  /** True when this close makes an attempt of the open flatten obligation. */
  flatten: boolean;
  signals: Signal[];
  /** The ramp-up multiplier the sizing stage applied to this session's entries; the timeline reports this value. */
  sizingMultiplier: number;
  ordersSubmitted: Order[];
  /** Rows written in the session's one transaction at the close. */
  fills: NewFill[];
  ordersToStore: { strategyId: string; session: SessionDate; order: Order }[];
  intentStatuses: Map<string, string>;
  /** Operator orders this session took over from the store's queue; removed from it in the persist transaction. */
  adoptedOperatorOrders: string[];
  /** True when the driver writes the checkpoint later, at the commit of several sessions (a replay's `commitEvery`). */
  checkpointDeferred: boolean;
  /** Each series' bar verdicts, kept by the engine from session to session (see `verdictsOf`). */
  readonly barVerdicts: WeakMap<SymbolBars, BarVerdicts>;
}

/**
 * The data-quality verdicts of `symbol`'s bars, which data quality, indicators and correlations all read: judged
 * once per bar for the life of the engine (a live cycle's fresh bars get fresh verdicts).
 */
export function verdictsOf(ctx: SessionContext, symbol: string): BarVerdicts {
  const series = ctx.deps.bars.series(symbol);
  let verdicts = ctx.barVerdicts.get(series);
  if (verdicts === undefined) {
    verdicts = new BarVerdicts(series, ctx.deps.config.OUTLIER_MAX_MOVE);
    ctx.barVerdicts.set(series, verdicts);
  }
  return verdicts;
}

/** Adds the session's date and the clock's time to a decision and queues it for the store. */
export function emit(ctx: SessionContext, event: Omit<PipelineEvent, "date" | "ts">): void {
  ctx.events.push({ date: ctx.date, ts: ctx.deps.clock.now(), ...event });
}

/** One named step of the pipeline; `phase` says whether it runs at the session's open or close. */
export interface Stage {
  name: string;
  phase: "open" | "close";
  run(ctx: SessionContext): void | Promise<void>;
}
