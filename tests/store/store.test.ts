import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Order } from "../../src/broker/types.js";
import type { PipelineEvent } from "../../src/events/types.js";
import { openExistingStore, openStore, SCHEMA_VERSION, StoreOpenError } from "../../src/store/index.js";
import type { NewOrderIntent, Store } from "../../src/store/index.js";

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function standInClock(start = T0) {
  return {
    time: start,
    now() {
      return this.time;
    },
  };
}

function intent(key: string, overrides: Partial<NewOrderIntent> = {}): NewOrderIntent {
  return {
    idempotencyKey: key,
    runId: "run-1",
    clientOrderId: `cid-${key}`,
    strategyId: "momentum",
    symbol: "SPY",
    side: "buy",
    session: "2024-01-02",
    seq: 0,
    notional: 1000,
    reason: "rebalance",
    status: "pending",
    ...overrides,
  };
}

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: "ord-1",
    clientOrderId: "cid-a",
    symbol: "SPY",
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty: null,
    notional: 1000,
    limitPrice: null,
    status: "accepted",
    filledQty: 0,
    filledAvgPrice: null,
    commission: 0,
    submittedAt: T0,
    filledAt: null,
    reason: null,
    ...overrides,
  };
}

const event: PipelineEvent = {
  date: "2024-01-02",
  ts: T0,
  type: "entry_blocked",
  reason: "DRAWDOWN_HALT",
  detail: "drawdown 12% exceeds 10%",
  strategy: "momentum",
  data: { drawdown: 0.12, limit: 0.1 },
};

function startRun(store: Store, runId = "run-1") {
  return store.startRun({ runId, mode: "simulated", config: { seed: 7 }, args: ["replay"] });
}

describe("openStore", () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tradeguard-store-"));
    path = join(dir, "state.db");
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies every migration once and none again on reopen", () => {
    openStore(path, standInClock(T0)).close();

    openStore(path, standInClock(T0 + HOUR)).close();

    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all() as { version: number; applied_at: number }[];
    raw.close();
    expect(rows[0]).toEqual({ version: 1, applied_at: T0 });
    expect(rows.at(-1)).toEqual({ version: SCHEMA_VERSION, applied_at: T0 });
    expect(rows.filter((row) => row.applied_at !== T0)).toEqual([]);
  });

  it("uses WAL journaling and enforces foreign keys on a file", () => {
    const store = openStore(path, standInClock());
    const raw = new Database(path, { readonly: true });
    const journalMode = raw.pragma("journal_mode", { simple: true });
    raw.close();

    expect(journalMode).toBe("wal");
    expect(() => store.insertEquity({ ...equityRow(), runId: "no-such-run" })).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it("keeps system state across a reopen of a file", () => {
    const first = openStore(path, standInClock());
    first.setSystemState("halt", { until: "2024-01-16", sessionsLeft: 10 });
    first.close();

    const second = openStore(path, standInClock());
    const halt = second.getSystemState<{ until: string; sessionsLeft: number }>("halt");
    second.close();

    expect(halt).toEqual({ until: "2024-01-16", sessionsLeft: 10 });
  });

  it("sees every kind of row written before a reopen", () => {
    const first = openStore(path, standInClock());
    first.transaction(() => {
      startRun(first);
      first.recordOrderIntent(intent("a"));
      first.upsertOrder("run-1", "momentum", "2024-01-02", order());
      first.insertFill(fillRow());
      first.insertEquity(equityRow());
      first.insertEvent("run-1", event);
      first.insertSignal(signalRow());
      first.setRunProgress("run-1", "2024-01-02");
    });
    first.close();

    const second = openStore(path, standInClock());

    expect(second.latestRun()).toMatchObject({ runId: "run-1", status: "running", lastSession: "2024-01-02" });
    expect(second.getOrderIntent("a")).toMatchObject({ clientOrderId: "cid-a", attempts: 1 });
    expect(second.listOrders("run-1")).toEqual([{ ...order(), runId: "run-1", strategyId: "momentum", session: "2024-01-02" }]);
    expect(second.listFills("run-1")).toEqual([{ id: 1, ...fillRow() }]);
    expect(second.listEquity("run-1")).toEqual([equityRow()]);
    expect(second.listEvents("run-1")).toEqual([{ id: 1, runId: "run-1", ...event }]);
    expect(second.listSignals("run-1")).toEqual([{ id: 1, ...signalRow() }]);
    second.close();
  });

  it("names the file when it is not a SQLite database", () => {
    writeFileSync(path, "symbol,date,close\nSPY,2024-01-02,472.65\n".repeat(20));

    const open = () => openStore(path, standInClock());

    expect(open).toThrow(`${path} is not a SQLite database`);
    expect(open).toThrow(/^[^\n]*$/);
  });

  it("refuses a database written by a newer schema version", () => {
    openStore(path, standInClock()).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(SCHEMA_VERSION + 1, T0);
    raw.close();

    const open = () => openStore(path, standInClock());

    expect(open).toThrow(`schema version ${SCHEMA_VERSION + 1} is newer than this tradeguard supports`);
    expect(open).toThrow(path);
  });
});

describe("Store", () => {
  let clock: ReturnType<typeof standInClock>;
  let store: Store;

  beforeEach(() => {
    clock = standInClock();
    store = openStore(":memory:", clock);
    startRun(store);
  });

  afterEach(() => {
    store.close();
  });

  it("round-trips, overwrites and deletes system state", () => {
    store.setSystemState("hwm", 10_000);
    store.setSystemState("hwm", 10_250.5);

    expect(store.getSystemState<number>("hwm")).toBe(10_250.5);
    store.deleteSystemState("hwm");
    expect(store.getSystemState("hwm")).toBeUndefined();
  });

  it("rejects system state that JSON cannot hold", () => {
    expect(() => store.setSystemState("broken", undefined)).toThrow(/not JSON-serializable/);
  });

  it("returns the existing intent and bumps its attempts on a duplicate key", () => {
    store.recordOrderIntent(intent("a"));
    clock.time = T0 + 5_000;

    const result = store.recordOrderIntent(intent("a", { reason: "retry" }));

    expect(result).toEqual({
      inserted: false,
      existing: expect.objectContaining({ reason: "rebalance", attempts: 2, createdAt: T0, lastAttemptAt: T0 + 5_000 }),
    });
  });

  it("reports a fresh intent as inserted with one attempt", () => {
    const result = store.recordOrderIntent(intent("a", { notional: undefined, qty: 3 }));

    expect(result).toEqual({ inserted: true });
    expect(store.getOrderIntent("a")).toMatchObject({ attempts: 1, notional: null, qty: 3, status: "pending" });
  });

  it("updates an intent's status", () => {
    store.recordOrderIntent(intent("a"));

    store.updateOrderIntentStatus("a", "submitted");

    expect(store.getOrderIntent("a")?.status).toBe("submitted");
  });

  it("counts only retried intents whose last attempt falls inside the clock's window", () => {
    store.recordOrderIntent(intent("old"));
    store.recordOrderIntent(intent("old"));
    clock.time = T0 + 30 * HOUR;
    store.recordOrderIntent(intent("recent"));
    store.recordOrderIntent(intent("recent"));
    store.recordOrderIntent(intent("single"));
    clock.time = T0 + 40 * HOUR;

    expect(store.countDuplicateOrderIntents(24)).toBe(1);
    expect(store.countDuplicateOrderIntents(48)).toBe(2);
    clock.time = T0 + 60 * HOUR;
    expect(store.countDuplicateOrderIntents(24)).toBe(0);
  });

  it("leaves nothing written when a transaction throws", () => {
    const failing = () =>
      store.transaction(() => {
        store.insertEvent("run-1", event);
        store.transaction(() => store.insertEquity(equityRow()));
        store.setSystemState("halt", true);
        throw new Error("broker timed out");
      });

    expect(failing).toThrow("broker timed out");
    expect(store.listEvents("run-1")).toEqual([]);
    expect(store.listEquity("run-1")).toEqual([]);
    expect(store.getSystemState("halt")).toBeUndefined();
  });

  it("returns the transaction's result", () => {
    const id = store.transaction(() => store.insertEvent("run-1", event));

    expect(id).toBe(1);
  });

  it("updates an order in place when it is upserted again", () => {
    store.upsertOrder("run-1", "momentum", "2024-01-02", order());

    const filled = order({ status: "filled", filledQty: 2.1, filledAvgPrice: 472.65, filledAt: T0 + 1_000 });
    store.upsertOrder("run-1", "momentum", "2024-01-02", filled);

    expect(store.listOrders("run-1")).toHaveLength(1);
    expect(store.getOrderByClientOrderId("cid-a")).toEqual({ ...filled, runId: "run-1", strategyId: "momentum", session: "2024-01-02" });
    expect(store.getOrderByClientOrderId("cid-unknown")).toBeUndefined();
  });

  it("counts a run's orders per strategy, an order upserted again once", () => {
    store.upsertOrder("run-1", "momentum", "2024-01-02", order());
    store.upsertOrder("run-1", "momentum", "2024-01-02", order({ status: "filled" }));
    store.upsertOrder("run-1", "momentum", "2024-01-03", order({ id: "ord-2", clientOrderId: "cid-b" }));
    store.upsertOrder("run-1", "sma", "2024-01-03", order({ id: "ord-3", clientOrderId: "cid-c" }));

    expect(store.countOrdersByStrategy("run-1")).toEqual(new Map([["momentum", 2], ["sma", 1]]));
    expect(store.countOrdersByStrategy("run-2")).toEqual(new Map());
  });

  it("reads each submitted order's reason by client order id, the last submission winning", () => {
    const submitted = (reason: string, data?: Record<string, unknown>): PipelineEvent => ({ date: "2024-01-02", ts: T0, type: "order_submitted", reason, detail: "", ...(data ? { data } : {}) });
    store.insertEvent("run-1", submitted("ENTRY", { clientOrderId: "cid-a", notional: 100 }));
    store.insertEvent("run-1", submitted("EXIT", { clientOrderId: "cid-b" }));
    store.insertEvent("run-1", submitted("PANIC_FLATTEN", { clientOrderId: "cid-a" }));
    store.insertEvent("run-1", submitted("ENTRY", { clientOrderId: 7 }));
    store.insertEvent("run-1", submitted("ENTRY", { clientOrderId: { nested: "cid-x" } }));
    store.insertEvent("run-1", submitted("ENTRY"));
    store.insertEvent("run-1", { ...submitted("EXIT", { clientOrderId: "cid-c" }), type: "order_filled" });

    expect(store.submittedOrderReasons("run-1")).toEqual(new Map([["cid-a", "PANIC_FLATTEN"], ["cid-b", "EXIT"]]));
  });

  it("filters events by type and session", () => {
    store.insertEvent("run-1", event);
    store.insertEvent("run-1", { date: "2024-01-03", ts: T0 + 24 * HOUR, type: "order_submitted", reason: "OK", detail: "" });

    expect(store.listEvents("run-1", { type: "order_submitted" }).map((e) => e.date)).toEqual(["2024-01-03"]);
    expect(store.listEvents("run-1", { session: "2024-01-02" }).map((e) => e.type)).toEqual(["entry_blocked"]);
    expect(store.listEvents("run-1", { type: "order_submitted", session: "2024-01-02" })).toEqual([]);
  });

  it("omits an event's absent optional fields when reading it back", () => {
    store.insertEvent("run-1", { date: "2024-01-02", ts: T0, type: "session_closed", reason: "OK", detail: "" });

    const [stored] = store.listEvents("run-1");

    expect(stored).toEqual({ id: 1, runId: "run-1", date: "2024-01-02", ts: T0, type: "session_closed", reason: "OK", detail: "" });
  });

  it("finishes a run with its last session and the clock's time", () => {
    clock.time = T0 + HOUR;

    store.finishRun("run-1", "completed", "2024-03-28");

    expect(store.getRun("run-1")).toEqual({
      runId: "run-1",
      createdAt: T0,
      mode: "simulated",
      config: { seed: 7 },
      args: ["replay"],
      status: "completed",
      lastSession: "2024-03-28",
      finishedAt: T0 + HOUR,
    });
  });

  it("resumes an existing run, keeping where it stopped", () => {
    store.finishRun("run-1", "failed", "2024-02-01");

    const resumed = startRun(store);

    expect(resumed).toMatchObject({ status: "running", lastSession: "2024-02-01", finishedAt: null, createdAt: T0 });
  });

  it("returns the most recently created run as the latest", () => {
    clock.time = T0 + HOUR;
    startRun(store, "run-2");

    expect(store.latestRun()?.runId).toBe("run-2");
  });

  it("refuses progress for a run it does not know", () => {
    expect(() => store.setRunProgress("run-9", "2024-01-02")).toThrow("no run run-9");
  });
});

function fillRow() {
  return {
    runId: "run-1",
    orderId: "ord-1",
    clientOrderId: "cid-a",
    strategyId: "momentum",
    symbol: "SPY",
    side: "buy" as const,
    qty: 2.1157,
    price: 472.65,
    commission: 0,
    session: "2024-01-02",
    ts: T0,
  };
}

function equityRow() {
  return {
    runId: "run-1",
    session: "2024-01-02",
    equity: 10_012.34,
    cash: 9_012.34,
    highWaterMark: 10_012.34,
    drawdown: 0,
    state: "normal",
    sizingMultiplier: 1,
    ordersSubmitted: 1,
  };
}

function signalRow() {
  return {
    runId: "run-1",
    session: "2024-01-02",
    strategyId: "momentum",
    symbol: "SPY",
    targetWeight: 0.1,
    stage: "broker",
    outcome: "filled",
    reason: null,
  };
}

describe("opening a store file", () => {
  const dir = mkdtempSync(join(tmpdir(), "tg-store-open-"));

  it("creates a new store owner-only (0600), with its WAL files", () => {
    const path = join(dir, "new.db");
    const store = openStore(path, standInClock());
    store.setSystemState("k", 1);

    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    store.close();
  });

  it("opens an existing store for a running bot, but never creates one", () => {
    const path = join(dir, "made-by-a-run.db");
    openStore(path, standInClock()).close();

    expect(() => openExistingStore(join(dir, "typo.db"), standInClock())).toThrow(StoreOpenError);
    expect(existsSync(join(dir, "typo.db"))).toBe(false);
    const store = openExistingStore(path, standInClock());
    expect(store.latestRun()).toBeUndefined();
    store.close();
  });

  it("refuses a SQLite file without tradeguard's tables and leaves it as it was", () => {
    const path = join(dir, "other.db");
    const other = new Database(path);
    other.exec("CREATE TABLE notes (text TEXT)");
    other.close();
    const before = readFileSync(path);

    expect(() => openExistingStore(path, standInClock())).toThrow(`${path} is not a tradeguard store`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
