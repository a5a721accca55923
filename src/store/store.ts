import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import type { Clock, SessionDate } from "../clock/types.js";
import type { DailyBar } from "../data/feed.js";
import type { PipelineEvent } from "../events/types.js";
import { StoreOpenError } from "./errors.js";
import { migrate } from "./schema.js";
import type {
  CycleEnd,
  EquityRecord,
  EventFilter,
  FillRecord,
  NewFill,
  NewOrderIntent,
  NewRun,
  NewSignal,
  OrderIntentRecord,
  OrderRecord,
  RecordedCall,
  RecordedCycle,
  RecordedInvocation,
  RecordIntentResult,
  RunRecord,
  RunStatus,
  SignalRecord,
  Store,
  StoredEvent,
  StoredEventText,
  StoredOrder,
} from "./records.js";

const HOUR_MS = 3_600_000;

/** A cached bar as SQLite returns it: NaN was stored as NULL. */
type NullableBar = { [K in keyof DailyBar]: DailyBar[K] extends number ? number | null : DailyBar[K] };

function finite(value: number | null): number {
  return value ?? Number.NaN;
}
const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating and migrating as needed) the store at a file path or ":memory:"; a new file is owner-only (0600). */
export function openStore(path: string, clock: Clock): Store {
  return openWith(path, clock, () => {
    createOwnerOnly(path);
    return new Database(path);
  });
}

/**
 * Opens a store a run already made, for commands that act on a running bot (`kill`): a missing file or a SQLite
 * file without tradeguard's tables is a StoreOpenError, and nothing is created or changed.
 */
export function openExistingStore(path: string, clock: Clock): Store {
  return openWith(path, clock, () => {
    const db = new Database(path, { fileMustExist: true });
    if (hasTradeguardTables(db)) return db;
    db.close();
    throw new StoreOpenError(`${path} is not a tradeguard store (no runs table); give the --db file of a run`);
  });
}

/** Opens the file `connect` gives, configured and migrated; any failure closes it and names the file. */
function openWith(path: string, clock: Clock, connect: () => Database.Database): Store {
  let db: Database.Database | undefined;
  try {
    db = connect();
    configure(db);
    migrate(db, clock, path);
    return new SqliteStore(db, clock);
  } catch (error) {
    db?.close();
    throw openError(path, error);
  }
}

/** SQLite creates the file (and its -wal and -shm files) with the mode of an existing database file. */
function createOwnerOnly(path: string): void {
  if (path === ":memory:" || path === "") return;
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    // An existing store keeps its mode; a missing folder is reported by the open itself.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" && (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function hasTradeguardTables(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get() !== undefined;
}

function openError(path: string, error: unknown): unknown {
  if (error instanceof StoreOpenError) return error;
  if (error instanceof Database.SqliteError && error.code === "SQLITE_CANTOPEN") {
    return new StoreOpenError(`${path}: no such store; give the --db file of the bot's run (a run writes <out>/tradeguard.db or its --db)`);
  }
  if (isNotADatabase(error)) return new StoreOpenError(`${path} is not a SQLite database; give another --db file`);
  if (error instanceof TypeError && /directory does not exist/.test(error.message)) {
    return new StoreOpenError(`${path}: the folder does not exist; create it or give another --db path`);
  }
  return error;
}

function configure(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!db.memory) db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
}

function isNotADatabase(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === "SQLITE_NOTADB";
}

function prepareStatements(db: Database.Database) {
  const statement = (sql: string) => db.prepare(sql);
  return {
    insertRun: statement(`
      INSERT INTO runs (run_id, created_at, mode, config_json, args_json, status)
      VALUES (@runId, @now, @mode, @configJson, @argsJson, 'running')
      ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL`),
    finishRun: statement(
      "UPDATE runs SET status = @status, last_session = @lastSession, finished_at = @now WHERE run_id = @runId",
    ),
    setRunProgress: statement("UPDATE runs SET last_session = @lastSession WHERE run_id = @runId"),
    getRun: statement("SELECT * FROM runs WHERE run_id = ?"),
    latestRun: statement("SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1"),

    getState: statement("SELECT value_json FROM system_state WHERE key = ?").pluck(),
    setState: statement(`
      INSERT INTO system_state (key, value_json, updated_at) VALUES (@key, @valueJson, @now)
      ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`),
    deleteState: statement("DELETE FROM system_state WHERE key = ?"),

    insertIntent: statement(`
      INSERT INTO order_intents (idempotency_key, run_id, client_order_id, strategy_id, symbol, side, session, seq,
        notional, qty, reason, created_at, attempts, last_attempt_at, status)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
      ON CONFLICT (idempotency_key) DO NOTHING`),
    retryIntent: statement(
      "UPDATE order_intents SET attempts = attempts + 1, last_attempt_at = @now WHERE idempotency_key = @idempotencyKey",
    ),
    setIntentStatus: statement("UPDATE order_intents SET status = ? WHERE idempotency_key = ?"),
    getIntent: statement("SELECT * FROM order_intents WHERE idempotency_key = ?"),
    listIntents: statement("SELECT * FROM order_intents WHERE run_id = ? ORDER BY rowid"),
    countRetriedIntents: statement(
      "SELECT COUNT(*) FROM order_intents WHERE attempts > 1 AND last_attempt_at BETWEEN @from AND @to",
    ).pluck(),

    // The per-session inserts bind by position: binding by name costs several times as much on the hot path.
    upsertOrder: statement(`
      INSERT INTO orders (order_id, run_id, client_order_id, strategy_id, symbol, side, type, time_in_force, qty,
        notional, limit_price, status, filled_qty, filled_avg_price, commission, submitted_at, filled_at, reason, session)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (order_id) DO UPDATE SET qty = excluded.qty, notional = excluded.notional,
        limit_price = excluded.limit_price, status = excluded.status, filled_qty = excluded.filled_qty,
        filled_avg_price = excluded.filled_avg_price, commission = excluded.commission,
        filled_at = excluded.filled_at, reason = excluded.reason`),
    getOrderByClientOrderId: statement(
      "SELECT * FROM orders WHERE client_order_id = ? ORDER BY submitted_at DESC, rowid DESC LIMIT 1",
    ),
    listOrders: statement("SELECT * FROM orders WHERE run_id = ? ORDER BY submitted_at, rowid"),
    countOrdersByStrategy: statement("SELECT strategy_id, COUNT(*) FROM orders WHERE run_id = ? GROUP BY strategy_id").raw(),

    insertFill: statement(`
      INSERT INTO fills (run_id, order_id, client_order_id, strategy_id, symbol, side, qty, price, commission, session, ts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    listFills: statement("SELECT * FROM fills WHERE run_id = ? ORDER BY id"),

    insertEquity: statement(`
      INSERT INTO equity (run_id, session, equity, cash, high_water_mark, drawdown, state, sizing_multiplier,
        orders_submitted)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    listEquity: statement("SELECT * FROM equity WHERE run_id = ? ORDER BY session"),

    insertEvent: statement(`
      INSERT INTO events (run_id, session, ts, type, reason, strategy, symbol, detail, data_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // One statement per filter, so each can use its index (an `@x IS NULL OR` form would scan every event).
    listEvents: statement("SELECT * FROM events WHERE run_id = @runId ORDER BY id"),
    listEventsOfType: statement("SELECT * FROM events WHERE run_id = @runId AND type = @type ORDER BY id"),
    listEventsOfSession: statement("SELECT * FROM events WHERE run_id = @runId AND session = @session ORDER BY id"),
    listEventsOfTypeAndSession: statement("SELECT * FROM events WHERE run_id = @runId AND type = @type AND session = @session ORDER BY id"),
    // SQLite reads only the id out of each event's data: parsing every order event's whole data in JS cost more than its row.
    submittedOrderReasons: statement(`
      SELECT CASE WHEN json_type(data_json, '$.clientOrderId') = 'text' THEN json_extract(data_json, '$.clientOrderId') END, reason
      FROM events WHERE run_id = ? AND type = 'order_submitted' ORDER BY id`).raw(),

    saveBar: statement(`
      INSERT OR REPLACE INTO bars (symbol, session, open, high, low, close, volume)
      VALUES (@symbol, @date, @open, @high, @low, @close, @volume)`),
    loadBars: statement(`
      SELECT symbol, session AS date, open, high, low, close, volume FROM bars
      WHERE symbol IN (SELECT value FROM json_each(@symbols)) AND session BETWEEN @from AND @to
      ORDER BY symbol, session`),
    lastBarDate: statement("SELECT MAX(session) FROM bars WHERE symbol = ?").pluck(),

    insertSignal: statement(`
      INSERT INTO signals (run_id, session, strategy_id, symbol, target_weight, stage, outcome, reason)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    listSignals: statement("SELECT * FROM signals WHERE run_id = ? ORDER BY id"),

    insertRecordedInvocation: statement(`
      INSERT INTO recording_invocations (run_id, mode, config_json, strategies_json, sha256)
      VALUES (@runId, @mode, @configJson, @strategiesJson, @sha256)`),
    insertRecordedCycle: statement(
      "INSERT INTO recording_cycles (invocation, cycle, clock_start) VALUES (@invocation, @cycle, @clockStart)",
    ),
    finishRecordedCycle: statement(`
      UPDATE recording_cycles SET kind = @kind, session = @session, clock_end = @clockEnd, outcome_json = @outcomeJson,
        sha256 = @sha256 WHERE invocation = @invocation AND cycle = @cycle`),
    appendRecordedCall: statement(`
      INSERT INTO recording_calls (invocation, cycle, port, method, request_json, answer_json, error_json, duration_ms, sha256)
      VALUES (@invocation, @cycle, @port, @method, @requestJson, @answerJson, @errorJson, @durationMs, @sha256)`),
    lastRecordedCallHash: statement("SELECT sha256 FROM recording_calls ORDER BY seq DESC LIMIT 1").pluck(),
    listRecordedInvocations: statement("SELECT * FROM recording_invocations ORDER BY invocation"),
    listRecordedCycles: statement("SELECT * FROM recording_cycles ORDER BY invocation, cycle"),
    listRecordedCalls: statement("SELECT * FROM recording_calls ORDER BY seq"),
  };
}

class SqliteStore implements Store {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly runTransaction: (fn: () => unknown) => unknown;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = prepareStatements(db);
    this.runTransaction = db.transaction((fn: () => unknown) => fn());
  }

  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : (this.runTransaction(fn) as T);
  }

  beginOpenTransaction(): void {
    this.db.exec("BEGIN");
  }

  commitOpenTransaction(): void {
    this.db.exec("COMMIT");
  }

  rollbackOpenTransaction(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  startRun(run: NewRun): RunRecord {
    this.sql.insertRun.run({
      runId: run.runId,
      mode: run.mode,
      configJson: toJson(run.config, "run config"),
      argsJson: toJson(run.args, "run args"),
      now: this.clock.now(),
    });
    return this.getRun(run.runId)!;
  }

  finishRun(runId: string, status: Exclude<RunStatus, "running">, lastSession: SessionDate | null): void {
    const result = this.sql.finishRun.run({ runId, status, lastSession, now: this.clock.now() });
    expectOneChange(result, `no run ${runId}`);
  }

  setRunProgress(runId: string, lastSession: SessionDate): void {
    expectOneChange(this.sql.setRunProgress.run({ runId, lastSession }), `no run ${runId}`);
  }

  getRun(runId: string): RunRecord | undefined {
    return maybe(this.sql.getRun.get(runId), toRun);
  }

  latestRun(): RunRecord | undefined {
    return maybe(this.sql.latestRun.get(), toRun);
  }

  getSystemState<T>(key: string): T | undefined {
    const json = this.sql.getState.get(key) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  setSystemState(key: string, value: unknown): void {
    this.sql.setState.run({ key, valueJson: toJson(value, `system state ${key}`), now: this.clock.now() });
  }

  deleteSystemState(key: string): void {
    this.sql.deleteState.run(key);
  }

  recordOrderIntent(intent: NewOrderIntent): RecordIntentResult {
    return this.transaction((): RecordIntentResult => {
      const now = this.clock.now();
      const inserted = this.sql.insertIntent.run(
        intent.idempotencyKey, intent.runId, intent.clientOrderId, intent.strategyId, intent.symbol, intent.side, intent.session, intent.seq,
        intent.notional ?? null, intent.qty ?? null, intent.reason, now, now, intent.status,
      );
      if (inserted.changes === 1) return { inserted: true };
      this.sql.retryIntent.run({ idempotencyKey: intent.idempotencyKey, now });
      return { inserted: false, existing: this.getOrderIntent(intent.idempotencyKey)! };
    });
  }

  updateOrderIntentStatus(idempotencyKey: string, status: string): void {
    const result = this.sql.setIntentStatus.run(status, idempotencyKey);
    expectOneChange(result, `no order intent ${idempotencyKey}`);
  }

  getOrderIntent(idempotencyKey: string): OrderIntentRecord | undefined {
    return maybe(this.sql.getIntent.get(idempotencyKey), camelRow<OrderIntentRecord>);
  }

  listOrderIntents(runId: string): OrderIntentRecord[] {
    return this.sql.listIntents.all(runId).map(camelRow<OrderIntentRecord>);
  }

  countDuplicateOrderIntents(hours: number): number {
    const to = this.clock.now();
    return this.sql.countRetriedIntents.get({ from: to - hours * HOUR_MS, to }) as number;
  }

  upsertOrder(runId: string, strategyId: string, session: SessionDate, order: OrderRecord): void {
    this.sql.upsertOrder.run(
      order.id, runId, order.clientOrderId, strategyId, order.symbol, order.side, order.type, order.timeInForce, order.qty, order.notional, order.limitPrice, order.status,
      order.filledQty, order.filledAvgPrice, order.commission, order.submittedAt, order.filledAt, order.reason, session,
    );
  }

  getOrderByClientOrderId(clientOrderId: string): StoredOrder | undefined {
    return maybe(this.sql.getOrderByClientOrderId.get(clientOrderId), toOrder);
  }

  listOrders(runId: string): StoredOrder[] {
    return this.sql.listOrders.all(runId).map(toOrder);
  }

  countOrdersByStrategy(runId: string): Map<string, number> {
    return new Map(this.sql.countOrdersByStrategy.all(runId) as [string, number][]);
  }

  insertFill(fill: NewFill): number {
    return Number(this.sql.insertFill.run(fill.runId, fill.orderId, fill.clientOrderId, fill.strategyId, fill.symbol, fill.side, fill.qty, fill.price, fill.commission, fill.session, fill.ts).lastInsertRowid);
  }

  listFills(runId: string): FillRecord[] {
    return this.sql.listFills.all(runId).map(camelRow<FillRecord>);
  }

  insertEquity(row: EquityRecord): void {
    this.sql.insertEquity.run(row.runId, row.session, row.equity, row.cash, row.highWaterMark, row.drawdown, row.state, row.sizingMultiplier, row.ordersSubmitted);
  }

  listEquity(runId: string): EquityRecord[] {
    return this.sql.listEquity.all(runId).map(camelRow<EquityRecord>);
  }

  insertEvent(runId: string, event: PipelineEvent): number {
    const dataJson = event.data === undefined ? null : toJson(event.data, `${event.type} event data`);
    return Number(this.sql.insertEvent.run(runId, event.date, event.ts, event.type, event.reason, event.strategy ?? null, event.symbol ?? null, event.detail, dataJson).lastInsertRowid);
  }

  listEvents(runId: string, filter: EventFilter = {}): StoredEvent[] {
    const { type, session } = filter;
    const rows = type === undefined
      ? session === undefined ? this.sql.listEvents.all({ runId }) : this.sql.listEventsOfSession.all({ runId, session })
      : session === undefined ? this.sql.listEventsOfType.all({ runId, type }) : this.sql.listEventsOfTypeAndSession.all({ runId, type, session });
    return rows.map((row) => toEvent(row as EventRow));
  }

  submittedOrderReasons(runId: string): Map<string, string> {
    const reasons = new Map<string, string>();
    for (const [clientOrderId, reason] of this.sql.submittedOrderReasons.iterate(runId) as Iterable<[string | null, string]>) {
      if (clientOrderId !== null) reasons.set(clientOrderId, reason);
    }
    return reasons;
  }

  forEachEvent(runId: string, visit: (event: StoredEventText) => void): void {
    for (const row of this.sql.listEvents.iterate({ runId })) visit(toEventText(row as EventRow));
  }

  insertSignal(signal: NewSignal): number {
    return Number(this.sql.insertSignal.run(signal.runId, signal.session, signal.strategyId, signal.symbol, signal.targetWeight, signal.stage, signal.outcome, signal.reason ?? null).lastInsertRowid);
  }

  listSignals(runId: string): SignalRecord[] {
    return this.sql.listSignals.all(runId).map(camelRow<SignalRecord>);
  }

  saveBars(bars: readonly DailyBar[]): void {
    this.transaction(() => {
      for (const bar of bars) this.sql.saveBar.run(bar);
    });
  }

  loadBars(symbols: readonly string[], from: SessionDate, to: SessionDate): DailyBar[] {
    const rows = this.sql.loadBars.all({ symbols: JSON.stringify(symbols), from, to }) as NullableBar[];
    return rows.map((row) => ({ ...row, open: finite(row.open), high: finite(row.high), low: finite(row.low), close: finite(row.close), volume: finite(row.volume) }));
  }

  lastBarDate(symbol: string): SessionDate | null {
    return (this.sql.lastBarDate.get(symbol) as SessionDate | null) ?? null;
  }

  insertRecordedInvocation(invocation: Omit<RecordedInvocation, "invocation">): number {
    return Number(this.sql.insertRecordedInvocation.run(invocation).lastInsertRowid);
  }

  insertRecordedCycle(cycle: Pick<RecordedCycle, "invocation" | "cycle" | "clockStart">): void {
    this.sql.insertRecordedCycle.run(cycle);
  }

  finishRecordedCycle(invocation: number, cycle: number, end: CycleEnd): void {
    expectOneChange(this.sql.finishRecordedCycle.run({ ...end, invocation, cycle }), `no recorded cycle ${invocation}/${cycle}`);
  }

  appendRecordedCall(call: Omit<RecordedCall, "seq">): void {
    this.sql.appendRecordedCall.run(call);
  }

  lastRecordedCallHash(): string | null {
    return (this.sql.lastRecordedCallHash.get() as string | undefined) ?? null;
  }

  listRecordedInvocations(): RecordedInvocation[] {
    return this.sql.listRecordedInvocations.all().map(camelRow<RecordedInvocation>);
  }

  listRecordedCycles(): RecordedCycle[] {
    return this.sql.listRecordedCycles.all().map(camelRow<RecordedCycle>);
  }

  listRecordedCalls(): RecordedCall[] {
    return this.sql.listRecordedCalls.all().map(camelRow<RecordedCall>);
  }

  close(): void {
    this.db.close();
  }
}

interface RunRow extends Omit<RunRecord, "config" | "args"> {
  configJson: string;
  argsJson: string;
}

interface EventRow {
  id: number;
  run_id: string;
  session: SessionDate;
  ts: number;
  type: string;
  reason: string;
  strategy: string | null;
  symbol: string | null;
  detail: string;
  data_json: string | null;
}

interface OrderRow extends Omit<StoredOrder, "id"> {
  orderId: string;
}

function maybe<T>(row: unknown, toRecord: (row: unknown) => T): T | undefined {
  return row === undefined ? undefined : toRecord(row);
}

/** Columns are the records' field names in snake_case, so one rename maps a row to its record. */
function camelRow<T>(row: unknown): T {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as object)) fields[snakeToCamel(key)] = value;
  return fields as T;
}

/** Column name → field name, remembered: the same few columns come back on every row. */
const camelNames = new Map<string, string>();

function snakeToCamel(name: string): string {
  let camel = camelNames.get(name);
  if (camel === undefined) {
    camel = name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    camelNames.set(name, camel);
  }
  return camel;
}

function toRun(row: unknown): RunRecord {
  const { configJson, argsJson, ...run } = camelRow<RunRow>(row);
  return { ...run, config: JSON.parse(configJson), args: JSON.parse(argsJson) };
}

function toOrder(row: unknown): StoredOrder {
  const { orderId, ...order } = camelRow<OrderRow>(row);
  return { ...order, id: orderId };
}

function toEvent(row: EventRow): StoredEvent {
  const { dataJson, ...event } = toEventText(row);
  return dataJson === undefined ? event : { ...event, data: JSON.parse(dataJson) as Record<string, unknown> };
}

function toEventText(row: EventRow): StoredEventText {
  const event: StoredEventText = {
    id: row.id,
    runId: row.run_id,
    date: row.session,
    ts: row.ts,
    type: row.type,
    reason: row.reason,
    detail: row.detail,
  };
  if (row.strategy !== null) event.strategy = row.strategy;
  if (row.symbol !== null) event.symbol = row.symbol;
  if (row.data_json !== null) event.dataJson = row.data_json;
  return event;
}

function toJson(value: unknown, what: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`${what} cannot be stored: it is not JSON-serializable`);
  return json;
}

function expectOneChange(result: Database.RunResult, message: string): void {
  if (result.changes !== 1) throw new Error(message);
}
