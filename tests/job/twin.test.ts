import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { floorQty, roundCents } from "../../src/portfolio/index.js";
import { parseTimeline } from "../../src/report/load.js";
import { peakToTrough } from "../../src/report/metrics.js";
import { parseTrades } from "../../src/report/trades.js";
import { loadSp500, spxReplay, tempDir } from "../engine/fixtures.js";

const FROM = "2007-01-03";
const TO = "2010-12-31";

describe("the unguarded twin of a replay", () => {
  it("holds buy-and-hold through the crash the guarded run halts and panics in, equity = units × close by hand", async () => {
    const outDir = tempDir("twin");
    const job = await spxReplay({ from: FROM, to: TO, outDir });
    const { summary } = await job.run();
    await job.close();

    const bars = await loadSp500();
    const spx = bars.series("SPX");
    const firstFill = bars.indexOf("2007-01-04");
    const units = floorQty(1000 / spx.open[firstFill], true);
    const cash = 1000 - roundCents(units * spx.open[firstFill]);
    const twin = parseTimeline(readFileSync(join(outDir, "twin_timeline.csv"), "utf8"));
    const guarded = parseTimeline(readFileSync(join(outDir, "timeline.csv"), "utf8"));
    expect(twin.map((row) => row.date)).toEqual(guarded.map((row) => row.date));
    for (const row of twin.slice(1)) {
      expect(Math.abs(row.equity - (units * spx.close[bars.indexOf(row.date)] + cash)), row.date).toBeLessThanOrEqual(0.005);
      expect(row.state).toBe("ACTIVE");
    }
    const last = units * spx.close[bars.indexOf(TO)] + cash;
    expect(summary.panics).toBeGreaterThan(0);
    expect(summary.twin).toMatchObject({ orders: 1, fills: 1, trades: 1, sessions_halted: 0, guards: { drawdown: false, kill_switch: false, data_quality: false } });
    expect(summary.twin!.final_equity).toBeCloseTo(last, 2);
    const byHand = twin.map((row, i) => ({ date: row.date, equity: i === 0 ? 1000 : units * spx.close[bars.indexOf(row.date)] + cash }));
    expect(summary.twin!.max_drawdown).toBeCloseTo(peakToTrough(byHand).drawdown, 5);
    expect(summary.twin!.max_drawdown).toBeGreaterThan(summary.max_drawdown);
  });

  it("leaves the guarded run's files as they are without it (--no-twin)", async () => {
    const [withTwin, without] = [tempDir("with-twin"), tempDir("no-twin")];
    for (const [outDir, twin] of [[withTwin, true], [without, false]] as const) {
      const job = await spxReplay({ from: FROM, to: "2008-12-31", outDir, twin });
      await job.run();
      await job.close();
    }

    for (const file of ["timeline.csv", "events.jsonl"]) expect(readFileSync(join(withTwin, file), "utf8")).toBe(readFileSync(join(without, file), "utf8"));
    const { twin, ...rest } = JSON.parse(readFileSync(join(withTwin, "summary.json"), "utf8"));
    expect(twin).toBeDefined();
    expect(rest).toEqual(JSON.parse(readFileSync(join(without, "summary.json"), "utf8")));
  });
});

describe("trades.csv", () => {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

  async function tradesOf(overrides: Record<string, string>) {
    const outDir = tempDir("trades");
    const job = await spxReplay({ from: FROM, to: TO, outDir, twin: false, overrides });
    const { summary } = await job.run();
    await job.close();
    return { pnl: summary.strategies.buy_and_hold, trades: parseTrades(readFileSync(join(outDir, "trades.csv"), "utf8")) };
  }

  it("adds up to the ledger: closed trades to realised P&L, each one (exit − entry) × quantity", async () => {
    const { pnl, trades } = await tradesOf({});

    const closed = trades.filter((trade) => trade.exitReason !== "OPEN");
    expect(closed.length).toBeGreaterThan(3);
    expect(closed.every((trade) => ["EXIT", "PANIC_FLATTEN"].includes(trade.exitReason))).toBe(true);
    // Buy-and-hold never sells part of a position, so every realised dollar comes from a closed trade.
    expect(Math.abs(sum(closed.map((trade) => trade.pnl)) - pnl.realized_pnl)).toBeLessThanOrEqual(0.01 * closed.length);
    for (const trade of closed) {
      expect(Math.abs(trade.pnl - trade.qty * (trade.exitPrice - trade.entryPrice)), trade.entryDate).toBeLessThanOrEqual(0.01);
    }
    expect(Math.abs(sum(trades.map((trade) => trade.pnl)) - pnl.total_pnl)).toBeLessThanOrEqual(0.01 * trades.length);
  });

  it("charges every commission of a trip to its trade, so all trades add up to the total P&L", async () => {
    const { pnl, trades } = await tradesOf({ COMMISSION_PER_ORDER: "1" });

    expect(pnl.commissions).toBeGreaterThan(0);
    expect(Math.abs(sum(trades.map((trade) => trade.pnl)) - pnl.total_pnl)).toBeLessThanOrEqual(0.01 * trades.length);
  });
});
