import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { DRY_RUN_REASON } from "../../src/broker/index.js";
import { checkExpectation, eventTrail, type Expectation, type RunRecordings } from "../../src/scenario/index.js";
import type { EquityRecord, StoredEvent, StoredOrder } from "../../src/store/index.js";
import { tempDir } from "./fixtures.js";

const SESSIONS = ["2021-02-01", "2021-02-02", "2021-02-03", "2021-02-04", "2021-02-05", "2021-02-08", "2021-02-09", "2021-02-10"];
const STATES = ["ACTIVE", "HALTED", "HALTED", "RAMPUP", "RAMPUP", "ACTIVE", "ACTIVE", "ACTIVE"];
const EQUITY = [1000, 920, 930, 930, 940, 950, 945, 960];

function equityRow(session: string, index: number): EquityRecord {
  const state = STATES[index];
  return { runId: "r", session, equity: EQUITY[index], cash: 0, highWaterMark: 1000, drawdown: 0, state, sizingMultiplier: state === "RAMPUP" ? 0.5 : 1, ordersSubmitted: 0 };
}

let nextId = 1;
function event(date: string, type: string, reason: string, extra: Partial<StoredEvent> = {}): StoredEvent {
  return { id: nextId++, runId: "r", date, ts: 0, type, reason, detail: `${type} ${reason}`, ...extra };
}

function order(session: string, side: "buy" | "sell", reason: string | null = null): StoredOrder {
  return {
    id: `o${nextId++}`, clientOrderId: `tg-${session}-${nextId}`, symbol: "AAA", side, type: "market", timeInForce: "day", qty: null, notional: 100,
    limitPrice: null, status: "filled", filledQty: 1, filledAvgPrice: 100, commission: 0, submittedAt: 0, filledAt: 0, reason,
    runId: "r", strategyId: "bh", session,
  };
}

/** A small recorded run: halted on 02-02, ramp-up from 02-04, AAA blocked as stale on 02-03, one email per alert. */
function recordedRun(): RunRecordings {
  const outDir = tempDir();
  mkdirSync(join(outDir, "artifacts", "why_no_trade_summary"), { recursive: true });
  writeFileSync(join(outDir, "artifacts", "why_no_trade_summary", "2021-02-02.json"), JSON.stringify({ summary: ["bh: DRAWDOWN_HALT"] }));
  mkdirSync(join(outDir, "artifacts", "weekly_health"), { recursive: true });
  const health = (status: string) => JSON.stringify({ strategies: [{ strategy: "bh", short: { status: "WARNING" }, long: { status } }] });
  writeFileSync(join(outDir, "artifacts", "weekly_health", "2021-02-01.json"), health("INSUFFICIENT_DATA"));
  writeFileSync(join(outDir, "artifacts", "weekly_health", "2021-02-08.json"), health("HEALTHY"));
  mkdirSync(join(outDir, "outbox"));
  writeFileSync(join(outDir, "outbox", "2021-02-02-001-halt.eml"), "From: a@b\r\nSubject: [tradeguard] HALT 2021-02-02:\r\n drawdown 8.00%\r\n\r\nSubject: not this\r\n");
  writeFileSync(join(outDir, "outbox", "2021-02-04-001-resume.eml"), "Subject: [tradeguard] Resume 2021-02-04\r\n\r\nbody\r\n");
  return {
    outDir,
    equity: SESSIONS.map(equityRow),
    events: [
      event("2021-02-01", "order_submitted", "ENTRY", { strategy: "bh", symbol: "AAA" }),
      event("2021-02-02", "drawdown_halt", "DRAWDOWN_HALT", { detail: "d=0.0800 from=ACTIVE" }),
      event("2021-02-03", "symbol_blocked", "STALE_DATA", { symbol: "AAA" }),
      event("2021-02-04", "health_check_passed", "HEALTH_CHECK_PASSED"),
      event("2021-02-10", "order_submitted", "ENTRY", { strategy: "bh", symbol: "AAA" }),
    ],
    orders: [order("2021-02-01", "buy"), order("2021-02-09", "sell"), order("2021-02-10", "buy"), order("2021-02-10", "buy", DRY_RUN_REASON)],
  };
}

/** An expectation before validation gives it its place in a file. */
type Bare = Expectation extends infer E ? (E extends Expectation ? Omit<E, "path"> : never) : never;

const RUN = recordedRun();
const range = (from: string, to = from) => ({ from, to });
const check = (expectation: Bare) => checkExpectation({ path: "expect[0]", ...expectation } as Expectation, RUN);

describe("scenario expectations", () => {
  it.each<[string, Bare, Bare]>([
    ["state", { kind: "state", range: range("2021-02-02", "2021-02-03"), is: "HALTED" }, { kind: "state", range: range("2021-02-02", "2021-02-04"), is: "HALTED" }],
    ["event", { kind: "event", type: "drawdown_halt", range: range("2021-02-02"), count: { count: 1 }, detailContains: "from=ACTIVE" }, { kind: "event", type: "drawdown_halt", count: { count: 2 } }],
    ["event filters", { kind: "event", type: "order_submitted", count: { min: 2 }, strategy: "bh", symbol: "AAA", reason: "ENTRY" }, { kind: "event", type: "order_submitted", count: { min: 1 }, reason: "EXIT" }],
    ["no_entries", { kind: "no_entries", range: range("2021-02-02", "2021-02-09") }, { kind: "no_entries", range: range("2021-02-02", "2021-02-10") }],
    ["multiplier", { kind: "multiplier", range: range("2021-02-04", "2021-02-05"), is: 0.5 }, { kind: "multiplier", range: range("2021-02-05", "2021-02-08"), is: 0.5 }],
    ["blocked", { kind: "blocked", symbol: "AAA", range: range("2021-02-03"), reason: "STALE_DATA" }, { kind: "blocked", symbol: "AAA", range: range("2021-02-03"), reason: "NAN_VALUES" }],
    ["not_blocked", { kind: "not_blocked", symbol: "AAA", range: range("2021-02-04", "2021-02-10") }, { kind: "not_blocked", symbol: "AAA", range: range("2021-02-01", "2021-02-03") }],
    ["artifact", { kind: "artifact", artifact: "why_no_trade_summary", date: "2021-02-02", exists: true, contains: "DRAWDOWN_HALT" }, { kind: "artifact", artifact: "why_no_trade_summary", date: "2021-02-03", exists: true }],
    ["absent artifact", { kind: "artifact", artifact: "halt", exists: false }, { kind: "artifact", artifact: "why_no_trade_summary", exists: false }],
    ["health", { kind: "health", strategy: "bh", status: "HEALTHY", window: "long" }, { kind: "health", strategy: "bh", status: "HEALTHY", date: "2021-02-01", window: "long" }],
    ["orders", { kind: "orders", count: { count: 3 } }, { kind: "orders", count: { count: 3 }, side: "buy" }],
    ["emails", { kind: "emails", subjectContains: "HALT 2021-02-02: drawdown 8.00%", count: { count: 1 } }, { kind: "emails", subjectContains: "not this", count: { min: 1 } }],
    ["equity", { kind: "equity", date: "2021-02-02", min: 920, max: 920 }, { kind: "equity", date: "2021-02-02", min: 921 }],
    ["max_drawdown", { kind: "max_drawdown", below: 0.081, above: 0.079 }, { kind: "max_drawdown", below: 0.07 }],
  ])("checks %s both ways", (_kind, passing, failing) => {
    expect(check(passing)).toMatchObject({ expectation: "expect[0]", ok: true });
    expect(check(failing)).toMatchObject({ expectation: "expect[0]", ok: false });
  });

  it("says what was expected and what happened", () => {
    const result = check({ kind: "state", range: range("2021-02-02", "2021-02-05"), is: "HALTED" });

    expect(result).toEqual({ expectation: "expect[0]", ok: false, expected: "state HALTED on every session 2021-02-02..2021-02-05", actual: "RAMPUP on 2021-02-04", date: "2021-02-04" });
  });

  it("fails a session the run never reached", () => {
    expect(check({ kind: "equity", date: "2021-03-01", min: 0 })).toMatchObject({ ok: false, actual: "no session recorded on 2021-03-01" });
  });

  it("counts an event's matches and lists their dates", () => {
    expect(check({ kind: "event", type: "order_submitted", count: { count: 0 } })).toMatchObject({ ok: false, actual: "2 (2021-02-01, 2021-02-10)" });
  });

  it("leaves a dry run's kept-back orders out of the orders at the broker", () => {
    expect(check({ kind: "orders", count: { count: 1 }, side: "sell" }).ok).toBe(true);
    expect(check({ kind: "orders", count: { max: 3 } }).actual).toMatch(/^3 /);
  });

  it("gives the events from three sessions before to three after a date as the trail", () => {
    const trail = eventTrail(RUN, "2021-02-04");

    expect(trail.map((line) => line.slice(0, 10))).toEqual(["2021-02-01", "2021-02-02", "2021-02-03", "2021-02-04"]);
    expect(trail[1]).toBe("2021-02-02 drawdown_halt DRAWDOWN_HALT: d=0.0800 from=ACTIVE");
  });
});
