import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { generateSyntheticBars, type BarStore } from "../../src/data/index.js";
import { KILL_SWITCH_STATE_KEY, type ReplayHooks } from "../../src/engine/index.js";
import { prepareReplay, type PreparedReplay } from "../../src/job/index.js";
import type { StoredEvent } from "../../src/store/index.js";
import { configWith, tempDir } from "./fixtures.js";

const FROM = "2019-01-02";
const TO = "2019-06-28";

/** One synthetic symbol with a year of warm-up, calm enough that no drawdown stop fires on its own. */
function calmBars(): BarStore {
  return generateSyntheticBars({ symbols: ["AAA"], from: "2018-01-02", to: TO, calendar: nyseCalendar, seed: "calm", volatility: 0.05, jumpIntensity: 0 });
}

async function runWith(bars: BarStore, hooks: (job: PreparedReplay) => ReplayHooks = () => ({}), overrides: Record<string, string> = {}) {
  const outDir = tempDir("safety");
  const job = prepareReplay({
    bars, dataLabel: "synthetic", strategies: [{ name: "buy_and_hold", params: { symbol: "AAA" } }],
    from: FROM, to: TO, seed: 7, outDir, config: configWith(overrides),
  });
  await job.run(hooks(job));
  const events = job.deps.store.listEvents(job.runId);
  const equity = job.deps.store.listEquity(job.runId);
  await job.close();
  return { outDir, events, equity };
}

const ofType = (events: StoredEvent[], type: string) => events.filter((event) => event.type === type);

describe("the safety pipeline inside the engine", () => {
  it("blocks a symbol with a bad tick and marks the book at the last good close, so no halt fires", async () => {
    const bars = calmBars();
    const series = bars.series("AAA");
    const tick = bars.indexOf("2019-03-14");
    series.close[tick] = series.close[tick] * 0.2;
    series.low[tick] = series.close[tick];
    const { events, equity } = await runWith(bars);
    const blocks = ofType(events, "symbol_blocked").filter((event) => event.date === "2019-03-14");
    expect(blocks.map((event) => event.reason)).toEqual(["PRICE_OUTLIER"]);
    expect(ofType(events, "drawdown_halt")).toEqual([]);
    const before = equity.find((row) => row.session === "2019-03-13")!;
    const during = equity.find((row) => row.session === "2019-03-14")!;
    expect(during.equity).toBeCloseTo(before.equity, 6);
  });

  it("blocks a stale feed on its third missing session and not before", async () => {
    const bars = calmBars();
    const series = bars.series("AAA");
    for (const date of ["2019-04-01", "2019-04-02", "2019-04-03", "2019-04-04"]) series.present[bars.indexOf(date)] = 0;
    const { events } = await runWith(bars);
    const stale = ofType(events, "symbol_blocked").filter((event) => event.reason === "STALE_DATA").map((event) => event.date);
    expect(stale).toEqual(["2019-04-03", "2019-04-04"]);
  });

  it("never calls data stale across weekends and holidays", async () => {
    const { events } = await runWith(calmBars());
    expect(ofType(events, "symbol_blocked")).toEqual([]);
  });

  it("obeys a kill switch flipped in the store mid-run at the next session, and only for entries", async () => {
    const bars = calmBars();
    const { events } = await runWith(
      bars,
      (job) => ({
        beforeSession(date) {
          if (date === FROM) job.deps.store.setSystemState(KILL_SWITCH_STATE_KEY, { global: true });
          if (date === "2019-01-10") job.deps.store.setSystemState(KILL_SWITCH_STATE_KEY, { global: false });
        },
      }),
    );
    const rejected = ofType(events, "signal_rejected").filter((event) => event.reason === "KILL_SWITCH_GLOBAL").map((event) => event.date);
    expect(rejected[0]).toBe(FROM);
    expect(rejected.at(-1)).toBe("2019-01-09");
    expect(ofType(events, "order_submitted")[0].date).toBe("2019-01-10");
  });

  it("reports reconciliation drift with both sides, writes the artifact and sends an alert", async () => {
    const bars = calmBars();
    const { events, outDir } = await runWith(
      bars,
      (job) => ({
        beforeSession(date) {
          if (date === "2019-02-01") job.simulatedBroker.adjustPosition("AAA", 0.5);
        },
      }),
      { ARTIFACT_RETENTION_DAYS: "1000" },
    );
    const mismatch = ofType(events, "reconciliation_mismatch");
    expect(mismatch.map((event) => event.date)).toEqual(["2019-02-01"]);
    expect(mismatch[0].detail).toMatch(/AAA: internal=[\d.]+ broker=[\d.]+/);
    expect(readdirSync(join(outDir, "artifacts", "reconciliation"))).toEqual(["2019-02-01.json"]);
    expect(readdirSync(join(outDir, "outbox")).some((file) => file.includes("reconciliation_mismatch"))).toBe(true);
  });

  it("never sends the same intent twice across a restart and recovers a duplicate-id answer by reading the order back", async () => {
    const bars = calmBars();
    const { events } = await runWith(bars, (job) => {
      job.simulatedBroker.setFaults([{ kind: "duplicate_client_order_id", fromIndex: bars.indexOf(FROM), toIndex: bars.indexOf(FROM), rate: 1 }]);
      return { restartAfter: (date) => date === "2019-01-03" };
    });
    expect(ofType(events, "order_recovered").map((event) => event.reason)).toEqual(["DUPLICATE_CLIENT_ORDER_ID"]);
    expect(ofType(events, "order_filled")).toHaveLength(1);
  });

  it("writes halt and panic alerts to the outbox and, in trade mode, keeps artifacts only for the retention window", async () => {
    const bars = calmBars();
    const series = bars.series("AAA");
    for (let i = bars.indexOf("2019-05-01"); i < series.close.length; i += 1) {
      for (const field of [series.open, series.high, series.low, series.close]) field[i] *= 0.85;
    }
    const { outDir, events } = await runWith(bars, (job) => {
      // What the trade driver will set; a replay keeps every artifact.
      job.deps.artifactRetention = "config";
      return {};
    }, { ARTIFACT_RETENTION_DAYS: "30" });
    expect(ofType(events, "drawdown_panic").map((event) => event.date)).toEqual(["2019-05-01"]);
    const mails = readdirSync(join(outDir, "outbox"));
    expect(mails.some((file) => file.endsWith("-panic.eml"))).toBe(true);
    const panicMail = readFileSync(join(outDir, "outbox", mails.find((file) => file.endsWith("-panic.eml"))!), "utf8");
    expect(panicMail).toContain("Subject: [tradeguard] PANIC 2019-05-01");
    expect(panicMail).toMatch(/^To: tradeguard@localhost\r?$/m);
    expect(panicMail).toContain("Positions:");
    expect(panicMail).toContain("all flattened with market orders at the next open");
    expect(panicMail).toMatch(/Cooldown ends: +2019-05-30 at the close/);
    expect(panicMail).toContain(`tradeguard kill on --db ${join(outDir, "tradeguard.db")}`);
    expect(panicMail).toContain(`tradeguard why 2019-05-01 --out ${outDir}`);
    expect(panicMail).toMatch(/Content-Disposition: attachment; filename=panic-2019-05-01\.json/);
    const dates = readdirSync(join(outDir, "artifacts", "why_no_trade_summary")).map((file) => file.slice(0, 10));
    // Not empty: retention that deleted everything would pass an `every` over no dates.
    expect(dates.length).toBeGreaterThan(5);
    expect(dates.every((date) => date >= "2019-05-29")).toBe(true);
  });

  it("keeps every artifact of a replay, whatever ARTIFACT_RETENTION_DAYS says", async () => {
    const { outDir } = await runWith(calmBars(), () => ({}), { ARTIFACT_RETENTION_DAYS: "1" });

    const dates = readdirSync(join(outDir, "artifacts", "why_no_trade_summary")).map((file) => file.slice(0, 10)).sort();
    expect(dates[0] <= "2019-01-04").toBe(true);
    expect(dates.length).toBeGreaterThan(100);
  });

  it("records a kill-switch flip as an event of the first session that obeys it", async () => {
    const { events } = await runWith(calmBars(), (job) => ({
      beforeSession(date) {
        if (date === "2019-02-01") job.deps.store.setSystemState(KILL_SWITCH_STATE_KEY, { global: true });
        if (date === "2019-03-01") job.deps.store.setSystemState(KILL_SWITCH_STATE_KEY, { global: false });
      },
    }));

    expect(events.filter((event) => event.type.startsWith("kill_switch_")).map((event) => [event.date, event.type, event.reason])).toEqual([
      ["2019-02-01", "kill_switch_on", "KILL_SWITCH_GLOBAL"],
      ["2019-03-01", "kill_switch_off", "KILL_SWITCH_GLOBAL"],
    ]);
  });

  it("cancels an entry still waiting at the broker when a panic stops entries", async () => {
    const bars = generateSyntheticBars({ symbols: ["AAA", "BBB"], from: "2018-01-02", to: TO, calendar: nyseCalendar, seed: "flat", volatility: 0, drift: 0, jumpIntensity: 0 });
    const bbb = bars.series("BBB");
    const aaa = bars.series("AAA");
    const shock = bars.indexOf("2019-03-05");
    // BBB's entry, decided on 03-04, waits for a bar that does not come on 03-05; AAA falls 25% that day.
    bbb.present[shock] = 0;
    for (let i = shock; i < aaa.close.length; i += 1) for (const field of [aaa.open, aaa.high, aaa.low, aaa.close]) field[i] *= 0.75;
    const outDir = tempDir("withdraw");
    const job = prepareReplay({
      bars, dataLabel: "synthetic", seed: 7, outDir, from: FROM, to: TO,
      strategies: [{ name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA" } }, { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } }],
      config: configWith({ STRATEGY_DISABLED_LIST: "bh_bbb" }),
    });
    await job.run({
      beforeSession(date) {
        if (date === "2019-03-04") job.deps.store.setSystemState(KILL_SWITCH_STATE_KEY, { strategies: { bh_bbb: false } });
      },
    });
    const events = job.deps.store.listEvents(job.runId);
    const bbbOrders = job.deps.store.listOrders(job.runId).filter((order) => order.symbol === "BBB");
    await job.close();
    expect(ofType(events, "drawdown_panic").map((event) => event.date)).toEqual(["2019-03-05"]);
    expect(ofType(events, "order_cancel_requested").map((event) => [event.date, event.strategy, event.reason])).toEqual([["2019-03-05", "bh_bbb", "DRAWDOWN_PANIC"]]);
    expect(bbbOrders[0]).toMatchObject({ session: "2019-03-04", status: "canceled", filledQty: 0 });
  });
});
