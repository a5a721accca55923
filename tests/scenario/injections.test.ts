import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import type { RunRecordings } from "../../src/scenario/index.js";
import { flatScenario, ROOT, runDocument } from "./fixtures.js";

const on = (run: RunRecordings, type: string, filter: { date?: string; reason?: string; strategy?: string; symbol?: string } = {}) =>
  run.events.filter(
    (event) =>
      event.type === type && (filter.date === undefined || event.date === filter.date) && (filter.reason === undefined || event.reason === filter.reason) &&
      (filter.strategy === undefined || event.strategy === filter.strategy) && (filter.symbol === undefined || event.symbol === filter.symbol),
  );
const datesOf = (events: { date: string }[]) => [...new Set(events.map((event) => event.date))];
const equityOn = (run: RunRecordings, date: string) => run.equity.find((row) => row.session === date)!;

describe("scenario injections", () => {
  it("stops a feed for the given sessions, which blocks it from the third missed session on", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ stale_feed: { symbol: "AAA", from: "2021-02-01", sessions: 4 } }] }));

    expect(datesOf(on(run, "symbol_blocked", { symbol: "AAA", reason: "STALE_DATA" }))).toEqual(["2021-02-03", "2021-02-04"]);
  });

  it("turns the named fields of one bar into NaN", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ nan_values: { symbol: "BBB", date: "2021-02-01", fields: ["volume"] } }] }));

    expect(datesOf(on(run, "symbol_blocked", { symbol: "BBB", reason: "NAN_VALUES" }))).toEqual(["2021-02-01"]);
  });

  it("overwrites fields of one bar", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ bad_bar: { symbol: "AAA", date: "2021-02-01", high: 400, close: 400 } }] }));

    const blocks = on(run, "symbol_blocked", { symbol: "AAA", reason: "PRICE_OUTLIER" });
    expect(blocks[0]).toMatchObject({ date: "2021-02-01" });
    expect(blocks[0].detail).toContain("close=400");
  });

  it("gaps a price and keeps the gap in every later bar", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ price_shock: { symbol: "AAA", date: "2021-02-01", pct: -0.1 } }] }));

    expect(equityOn(run, "2021-01-29").equity).toBe(100000);
    expect(equityOn(run, "2021-02-01").equity).toBeCloseTo(95000, 6);
    expect(run.equity.at(-1)!.equity).toBeCloseTo(95000, 6);
  });

  it("shocks the held symbols so that equity at that close is exactly the given drawdown below the high-water mark", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ drawdown: { date: "2021-02-01", to: 0.08 } }] }));

    expect(equityOn(run, "2021-02-01")).toMatchObject({ equity: 92000, highWaterMark: 100000, drawdown: 0.08, state: "HALTED" });
  });

  it("reaches the drawdown on moving prices too, at the engine's own measure", async () => {
    const moving = flatScenario({
      data: { synthetic: { symbols: ["AAA", "BBB"] }, from: "2021-01-04", to: "2021-03-31" },
    });
    const { run } = await runDocument({ ...moving, injections: [{ drawdown: { date: "2021-03-01", to: 0.1 } }] });

    const row = equityOn(run, "2021-03-01");
    expect(row.drawdown).toBeGreaterThanOrEqual(0.1);
    expect(row.drawdown).toBeLessThan(0.1 + 1e-12);
    expect(row.state).toBe("PANIC");
  });

  it("refuses a drawdown when nothing is held", async () => {
    const { result } = await runDocument(flatScenario({ config: { TRADING_DISABLED: true }, injections: [{ drawdown: { date: "2021-02-01", to: 0.08 } }] }));

    expect(result.status).toBe("invalid");
    expect(result.error).toBe("scenarios/flat.yaml: injections[0].drawdown: nothing is held at 2021-02-01; a drawdown shocks the held symbols");
  });

  it("shocks a session whose open fills orders, measured on the book after those fills", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ drawdown: { date: "2021-01-05", to: 0.08 } }] }));

    expect(datesOf(on(run, "order_filled"))).toContain("2021-01-05");
    const row = equityOn(run, "2021-01-05");
    expect(row.drawdown).toBeGreaterThanOrEqual(0.08);
    expect(row.drawdown).toBeLessThan(0.08 + 1e-12);
    expect(row.state).toBe("HALTED");
  });

  it("injects broker faults only in their window of sessions", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ broker_fault: { from: "2021-01-04", sessions: 2, kind: "reject" } }] }));

    expect(datesOf(on(run, "signal_rejected", { reason: "BROKER_REJECTED" }))).toEqual(["2021-01-04", "2021-01-05"]);
    expect(datesOf(on(run, "order_filled"))).toEqual(["2021-01-07"]);
  });

  it("flips the global and per-strategy kill switches in the store before their session", async () => {
    const { run } = await runDocument(
      flatScenario({
        injections: [
          { kill_switch: { date: "2021-01-04", switch: "on", strategy: "bh_bbb" } },
          { kill_switch: { date: "2021-01-06", switch: "off", strategy: "bh_bbb" } },
        ],
      }),
    );

    expect(datesOf(on(run, "signal_rejected", { reason: "KILL_SWITCH_STRATEGY", strategy: "bh_bbb" }))).toEqual(["2021-01-04", "2021-01-05"]);
    expect(on(run, "order_submitted", { strategy: "bh_aaa" }).map((event) => event.date)).toEqual(["2021-01-04"]);
    expect(on(run, "order_submitted", { strategy: "bh_bbb" }).map((event) => event.date)).toEqual(["2021-01-06"]);
  });

  it("restarts from the store without changing a single event", async () => {
    const moving = flatScenario({ data: { synthetic: { symbols: ["AAA", "BBB"] }, from: "2021-01-04", to: "2021-02-26" } });
    const straight = await runDocument(moving);
    const restarted = await runDocument({ ...moving, injections: ["2021-01-04", "2021-01-05", "2021-02-01"].map((date) => ({ restart: { date } })) });

    const lines = (run: RunRecordings) => readFileSync(join(run.outDir, "events.jsonl"), "utf8");
    expect(lines(restarted.run)).toBe(lines(straight.run));
  });

  it("moves the broker's position behind the engine's back", async () => {
    const { run } = await runDocument(flatScenario({ injections: [{ reconciliation_drift: { date: "2021-02-01", symbol: "AAA", qty: 2 } }] }));

    const mismatch = on(run, "reconciliation_mismatch");
    expect(mismatch.map((event) => [event.date, event.detail])).toEqual([["2021-02-01", "AAA: internal=500 broker=502"]]);
  });

  it("names an injection's unknown symbol as the scenario's error", async () => {
    const { result } = await runDocument(flatScenario({ injections: [{ stale_feed: { symbol: "ZZZ", from: "2021-01-05", sessions: 3 } }] }));

    expect(result.status).toBe("invalid");
    expect(result.error).toBe("scenarios/flat.yaml: injections[0].stale_feed.symbol: ZZZ is not in the data (loaded: AAA, BBB)");
  });

  it("names a kill switch's unknown strategy as the scenario's error", async () => {
    const { result } = await runDocument(flatScenario({ injections: [{ kill_switch: { date: "2021-01-05", switch: "on", strategy: "nope" } }] }));

    expect(result.error).toBe("scenarios/flat.yaml: injections[0].kill_switch.strategy: no strategy with id nope (ids: bh_aaa, bh_bbb)");
  });

  it("never edits a data file", async () => {
    const file = join(ROOT, "data", "sp500-2000.csv");
    const before = createHash("sha256").update(readFileSync(file)).digest("hex");

    await runDocument({
      ...flatScenario(),
      data: { csv: [{ path: "../data/sp500-2000.csv", symbol: "SPX" }], from: "2020-01-02", to: "2020-02-28" },
      strategies: [{ name: "buy_and_hold", params: { symbol: "SPX" } }],
      injections: [{ bad_bar: { symbol: "SPX", date: "2020-01-15", close: 1 } }, { price_shock: { symbol: "SPX", date: "2020-02-03", pct: -0.3 } }],
      expect: [{ state: { date: "2020-01-02", is: "ACTIVE" } }],
    });

    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(before);
  });
});
