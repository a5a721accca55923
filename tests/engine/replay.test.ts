import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { generateSyntheticBars } from "../../src/data/index.js";
import { prepareReplay } from "../../src/job/index.js";
import { floorQty, roundCents } from "../../src/portfolio/index.js";
import { configWith, loadSp500, spxReplay, tempDir } from "./fixtures.js";

/** Safety thresholds no real path reaches, so the replay is plain buy-and-hold. */
const NO_STOPS = { DRAWDOWN_HALT_THRESHOLD: "1", DRAWDOWN_PANIC_THRESHOLD: "1" };

function timeline(outDir: string): { date: string; equity: number; state: string; multiplier: number; orders: number }[] {
  const [, ...rows] = readFileSync(join(outDir, "timeline.csv"), "utf8").trim().split("\n");
  return rows.map((row) => {
    const [date, equity, , , state, multiplier, orders] = row.split(",");
    return { date, equity: Number(equity), state, multiplier: Number(multiplier), orders: Number(orders) };
  });
}

describe("replay of buy_and_hold on the shipped S&P 500 data", () => {
  it("reproduces buy-and-hold by hand: units bought at the first fill's open, equity = units × close", async () => {
    const outDir = tempDir("bh");
    const job = await spxReplay({ from: "2001-01-02", to: "2020-04-17", outDir, overrides: NO_STOPS });
    const { summary } = await job.run();
    await job.close();

    const bars = (await loadSp500()).series("SPX");
    const sessions = (await loadSp500()).sessions;
    const firstFill = sessions.indexOf("2001-01-03");
    const units = floorQty(1000 / bars.open[firstFill], true);
    const cash = 1000 - roundCents(units * bars.open[firstFill]);
    const rows = timeline(outDir);
    expect(rows[0].date).toBe("2001-01-02");
    expect(rows[0].equity).toBe(1000);
    for (const row of rows.slice(1)) {
      const expected = units * bars.close[sessions.indexOf(row.date)] + cash;
      expect(Math.abs(row.equity - expected), row.date).toBeLessThanOrEqual(0.005);
    }
    expect(summary.orders).toBe(1);
    expect(summary.fills).toBe(1);
    expect(summary.sessions).toBe(rows.length);
    expect(summary.last_session).toBe("2020-04-17");
  });

  it("writes byte-identical summary, timeline and events when run twice", async () => {
    const outputs = [];
    for (const name of ["first", "second"]) {
      const outDir = tempDir(name);
      const job = await spxReplay({ from: "2007-01-03", to: "2009-12-31", outDir });
      await job.run();
      await job.close();
      outputs.push(["summary.json", "timeline.csv", "events.jsonl"].map((file) => readFileSync(join(outDir, file), "utf8")));
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[0][2]).toContain("drawdown_halt");
  });

  it("halts, cools down for exactly ten sessions, ramps up at half size for five, then trades at full size", async () => {
    const outDir = tempDir("halt");
    const job = await spxReplay({ from: "2001-01-02", to: "2001-12-31", outDir, overrides: { FLATTEN_ON_PANIC: "false", DRAWDOWN_PANIC_THRESHOLD: "0.5" } });
    await job.run();
    await job.close();
    const rows = timeline(outDir);
    const events = readFileSync(join(outDir, "events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const halt = events.find((event) => event.type === "drawdown_halt");
    const t = rows.findIndex((row) => row.date === halt.date);
    expect(rows.slice(t, t + 10).every((row) => row.state === "HALTED")).toBe(true);
    const passed = events.find((event) => event.type === "health_check_passed" && event.date > halt.date);
    expect(passed.date).toBe(rows[t + 10].date);
    expect(rows.slice(t + 10, t + 15).map((row) => [row.state, row.multiplier])).toEqual(Array(5).fill(["RAMPUP", 0.5]));
    expect(rows[t + 15].multiplier).toBe(1);
    const entries = events.filter((event) => event.type === "order_submitted" && event.reason === "ENTRY");
    const halted = new Set(rows.filter((row) => row.state === "HALTED" || row.state === "PANIC").map((row) => row.date));
    expect(entries.filter((event) => halted.has(event.date))).toEqual([]);
  });

  it("sends nothing to the broker under DRY_RUN while still writing events and artifacts", async () => {
    const outDir = tempDir("dry");
    const job = await spxReplay({ from: "2008-01-02", to: "2008-12-31", outDir, overrides: { DRY_RUN: "true" } });
    await job.run();
    const sentToVenue = await job.simulatedBroker.listOrders({ status: "all" });
    await job.close();
    expect(sentToVenue).toEqual([]);
    const events = readFileSync(join(outDir, "events.jsonl"), "utf8");
    expect(events).toContain("order_submitted");
    expect(JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")).dry_run).toBe(true);
  });
});

describe("per-strategy accounting", () => {
  it("adds each strategy's own P&L up to the account's, to the cent", async () => {
    const symbols = ["AAA", "BBB", "CCC", "DDD"];
    const job = prepareReplay({
      bars: generateSyntheticBars({ symbols, from: "2009-01-02", to: "2011-12-30", calendar: nyseCalendar, seed: "pnl" }),
      dataLabel: "synthetic",
      strategies: [
        { name: "momentum_top_n", params: { symbols: "AAA,BBB,CCC", topN: "2", lookback: "60" } },
        { name: "sma_cross", params: { symbol: "DDD", fast: "10", slow: "50" } },
      ],
      from: "2010-01-04", to: "2011-12-30", seed: 3, outDir: tempDir("pnl"),
      config: configWith({ COMMISSION_PER_ORDER: "0.35", SLIPPAGE_BPS: "5" }),
    });
    const { summary } = await job.run();
    await job.close();
    const strategies = Object.values(summary.strategies);
    expect(strategies).toHaveLength(2);
    expect(strategies.every((pnl) => pnl.orders > 0 && pnl.commissions > 0)).toBe(true);
    const total = strategies.reduce((sum, pnl) => sum + pnl.total_pnl, 0);
    expect(total).toBeCloseTo(summary.final_equity - summary.initial_capital, 1);
  });
});
