import type { DailyBar } from "../data/feed.js";
import type { SessionDate } from "../clock/types.js";
import type { PipelineEvent } from "../events/types.js";

export type RunStatus = "running" | "completed" | "failed";

/** One replay or trading run; `lastSession` is the last session fully written, where a restart resumes. */
export interface RunRecord {
  runId: string;
  createdAt: number;
  mode: string;
  config: unknown;
  args: unknown;
  status: RunStatus;
  lastSession: SessionDate | null;
  finishedAt: number | null;
}

/** What a caller supplies to start a run; the store fills in timestamps and status. */
export type NewRun = Pick<RunRecord, "runId" | "mode" | "config" | "args">;

/** An order the pipeline decided to place, keyed so a retry or restart never places it twice. */
export interface OrderIntentRecord {
  idempotencyKey: string;
  runId: string;
  clientOrderId: string;
  strategyId: string;
  symbol: string;
  side: OrderSide;
  session: SessionDate;
  seq: number;
  notional: number | null;
  qty: number | null;
  reason: string;
  createdAt: number;
  attempts: number;
  lastAttemptAt: number;
  status: string;
}

/** What a caller supplies to record an intent; the store fills in timestamps and attempts. */
export type NewOrderIntent = Omit<OrderIntentRecord, "createdAt" | "attempts" | "lastAttemptAt" | "notional" | "qty"> & {
  notional?: number | null;
  qty?: number | null;
};

export type RecordIntentResult = { inserted: true } | { inserted: false; existing: OrderIntentRecord };

/** A side as the store writes it. */
type OrderSide = "buy" | "sell";

/**
 * An order as the store keeps it: the broker's record as last seen. The store's own shape (the broker port's
 * Order satisfies it), so the store knows nothing of brokers.
 */
export interface OrderRecord {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: string;
  timeInForce: string;
  qty: number | null;
  notional: number | null;
  limitPrice: number | null;
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
  commission: number;
  submittedAt: number;
  filledAt: number | null;
  reason: string | null;
}

/** A broker order as last seen, with the run, strategy and session that placed it. */
export interface StoredOrder extends OrderRecord {
  runId: string;
  strategyId: string;
  session: SessionDate;
}

export interface FillRecord {
  id: number;
  runId: string;
  orderId: string;
  clientOrderId: string;
  strategyId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  commission: number;
  session: SessionDate;
  ts: number;
}

export type NewFill = Omit<FillRecord, "id">;

/** The account at one session's close, with the safety state that governed it. */
export interface EquityRecord {
  runId: string;
  session: SessionDate;
  equity: number;
  cash: number;
  highWaterMark: number;
  drawdown: number;
  state: string;
  sizingMultiplier: number;
  ordersSubmitted: number;
}

export interface StoredEvent extends PipelineEvent {
  id: number;
  runId: string;
}

/** A stored event whose data is the JSON text in the store (absent when the event has none). */
export interface StoredEventText extends Omit<StoredEvent, "data"> {
  dataJson?: string;
}

export interface EventFilter {
  type?: string;
  session?: SessionDate;
}

/** One strategy signal and the funnel stage where it stopped (`outcome` 'filled'/'submitted' when it got through). */
export interface SignalRecord {
  id: number;
  runId: string;
  session: SessionDate;
  strategyId: string;
  symbol: string;
  /** The strategy's target weight; null when the symbol was blocked before the strategy could decide. */
  targetWeight: number | null;
  stage: string;
  outcome: string;
  reason: string | null;
}

export type NewSignal = Omit<SignalRecord, "id" | "reason"> & { reason?: string | null };

/** One `trade` process as the flight recorder saw it: the run it continued and its resolved config (secrets masked). */
export interface RecordedInvocation {
  invocation: number;
  runId: string;
  mode: string;
  configJson: string;
  strategiesJson: string;
  sha256: string;
}

/** One decision cycle of a recorded process; `kind` is null until the cycle ends (a crash leaves it null). */
export interface RecordedCycle {
  invocation: number;
  cycle: number;
  /** The engine clock when the cycle began and ended (epoch ms). */
  clockStart: number;
  kind: string | null;
  session: SessionDate | null;
  clockEnd: number | null;
  /** What the session wrote (events, intents, equity, state…), for the replay to compare with. */
  outcomeJson: string | null;
  sha256: string | null;
}

/** One broker or market-data call as the engine made it: request, answer or error, and how long it took. */
export interface RecordedCall {
  seq: number;
  invocation: number;
  cycle: number;
  port: string;
  method: string;
  requestJson: string;
  answerJson: string | null;
  errorJson: string | null;
  durationMs: number;
  /** Chained: the hash of this call's fields and the previous call's hash. */
  sha256: string;
}

export type CycleEnd = Pick<RecordedCycle, "kind" | "session" | "clockEnd" | "outcomeJson" | "sha256">;

/** The single source of truth for run state; every write is synchronous and durable once its transaction ends. */
export interface Store {
  /** Runs `fn` in one transaction (rolled back if it throws); a call inside another transaction just joins it. */
  transaction<T>(fn: () => T): T;
  /**
   * Opens a transaction that stays open across calls, awaits included, until `commitOpenTransaction` (or
   * `rollbackOpenTransaction`): a replay commits several sessions at once. `transaction` calls join it.
   */
  beginOpenTransaction(): void;
  commitOpenTransaction(): void;
  /** Drops every write since `beginOpenTransaction`; nothing when no transaction is open. */
  rollbackOpenTransaction(): void;

  /** Starts a run, or resumes it when `runId` exists (status back to running, `lastSession` kept). */
  startRun(run: NewRun): RunRecord;
  finishRun(runId: string, status: Exclude<RunStatus, "running">, lastSession: SessionDate | null): void;
  setRunProgress(runId: string, lastSession: SessionDate): void;
  getRun(runId: string): RunRecord | undefined;
  /** The most recently created run. */
  latestRun(): RunRecord | undefined;

  getSystemState<T>(key: string): T | undefined;
  setSystemState(key: string, value: unknown): void;
  deleteSystemState(key: string): void;

  /** Inserts the intent, or on a known idempotency key bumps its attempts and returns it. */
  recordOrderIntent(intent: NewOrderIntent): RecordIntentResult;
  updateOrderIntentStatus(idempotencyKey: string, status: string): void;
  getOrderIntent(idempotencyKey: string): OrderIntentRecord | undefined;
  listOrderIntents(runId: string): OrderIntentRecord[];
  /** Intents retried (attempts > 1) whose last attempt lies within the last `hours` hours of the store's clock. */
  countDuplicateOrderIntents(hours: number): number;

  upsertOrder(runId: string, strategyId: string, session: SessionDate, order: OrderRecord): void;
  /** The latest submitted order with that client order id. */
  getOrderByClientOrderId(clientOrderId: string): StoredOrder | undefined;
  listOrders(runId: string): StoredOrder[];
  /** Orders of the run per strategy (strategies without orders are absent). */
  countOrdersByStrategy(runId: string): Map<string, number>;

  /** Inserts a fill and returns its row id. */
  insertFill(fill: NewFill): number;
  listFills(runId: string): FillRecord[];
  insertEquity(row: EquityRecord): void;
  listEquity(runId: string): EquityRecord[];
  /** Inserts an event and returns its row id. */
  insertEvent(runId: string, event: PipelineEvent): number;
  listEvents(runId: string, filter?: EventFilter): StoredEvent[];
  /**
   * Each event of the run in order, one at a time (a long run's events need not all be in memory at once), with
   * its data as the JSON text stored rather than parsed, for writers that copy it out.
   */
  forEachEvent(runId: string, visit: (event: StoredEventText) => void): void;
  /** The reason of each order the run submitted, by client order id, from its `order_submitted` events (the last one wins). */
  submittedOrderReasons(runId: string): Map<string, string>;
  /** Inserts a signal and returns its row id. */
  insertSignal(signal: NewSignal): number;
  listSignals(runId: string): SignalRecord[];

  /** Caches fetched daily bars (a bar already cached is replaced). */
  saveBars(bars: readonly DailyBar[]): void;
  /** Cached bars of `symbols` dated `from`..`to`, by symbol then date. */
  loadBars(symbols: readonly string[], from: SessionDate, to: SessionDate): DailyBar[];
  /** The date of the newest cached bar of `symbol`, or null. */
  lastBarDate(symbol: string): SessionDate | null;

  /** Starts a recorded process and returns its number (1, 2, … in the order processes ran). */
  insertRecordedInvocation(invocation: Omit<RecordedInvocation, "invocation">): number;
  insertRecordedCycle(cycle: Pick<RecordedCycle, "invocation" | "cycle" | "clockStart">): void;
  finishRecordedCycle(invocation: number, cycle: number, end: CycleEnd): void;
  appendRecordedCall(call: Omit<RecordedCall, "seq">): void;
  /** The hash of the newest recorded call (the chain's head), or null before the first. */
  lastRecordedCallHash(): string | null;
  listRecordedInvocations(): RecordedInvocation[];
  listRecordedCycles(): RecordedCycle[];
  listRecordedCalls(): RecordedCall[];

  close(): void;
}
