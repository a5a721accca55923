import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { generateSyntheticBars } from "../../src/data/index.js";
import { prepareReplay, type ReplayJobOptions } from "../../src/job/index.js";
import { folderContents, rows, storeTables } from "../job/crashHarness.js";
import { configWith, tempDir } from "./fixtures.js";

/**
 * A replay may commit several sessions in one transaction (`run --commit-every`, artifacts written on a worker
 * and flushed before each commit). It must not change a byte of what the run leaves, and a failure mid-batch
 * must leave the store at the last commit, from which a resumed replay ends identical.
 */
const SYMBOLS = ["AAA", "BBB", "CCC"];
const BARS = generateSyntheticBars({ symbols: SYMBOLS, from: "2012-01-03", to: "2013-12-31", calendar: nyseCalendar, seed: "batches" });
const TABLES = storeTables(["engine", "simulated_broker", "drawdown_stop_state"]);

function options(outDir: string, commitEvery: number, dbPath?: string): ReplayJobOptions {
  return {
    bars: BARS.clone(), dataLabel: "batches", seed: 5, outDir, dbPath, commitEvery, from: "2012-10-01", to: "2013-12-31",
    strategies: [
      { name: "momentum_top_n", params: { symbols: SYMBOLS.join(","), topN: "2", lookback: "60" } },
      { name: "sma_cross", params: { symbol: "CCC", fast: "10", slow: "50" } },
    ],
    // A tight drawdown stop, so halts, cooldowns and their artifacts and alerts fall inside batches.
    config: configWith({ DRAWDOWN_HALT_THRESHOLD: "0.03", DRAWDOWN_PANIC_THRESHOLD: "0.06", HALT_COOLDOWN_DAYS: "3", PANIC_COOLDOWN_DAYS: "4" }),
  };
}

async function replayTo(outDir: string, commitEvery: number, dbPath?: string, failAt?: string): Promise<void> {
  const job = prepareReplay(options(outDir, commitEvery, dbPath));
  try {
    await job.run({
      afterSession(date) {
        if (date === failAt) throw new Error(`injected failure after ${date}`);
      },
    });
  } finally {
    await job.close();
  }
}

function storeRows(db: string): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(TABLES).map(([table, sql]) => [table, rows(db, sql)]));
}

/**
 * The run folder without the store files, whose pages (not rows) differ with the commit size; alerts by name
 * only, since each names its own run folder in the commands it suggests.
 */
function runFiles(outDir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(folderContents(outDir))
      .filter(([path]) => !/\.db(-wal|-shm)?$/.test(path))
      .map(([path, hash]) => [path, path.startsWith("outbox/") ? "alert" : hash]),
  );
}

describe("a replay committing several sessions at once", () => {
  it("leaves the same rows and files as one commit per session", async () => {
    const single = tempDir("commit-1");
    const batched = tempDir("commit-7");
    await replayTo(single, 1);
    await replayTo(batched, 7);
    const singleRows = storeRows(join(single, "tradeguard.db"));
    expect(singleRows.events.length).toBeGreaterThan(100);
    expect(singleRows.orders.length).toBeGreaterThan(5);
    expect(storeRows(join(batched, "tradeguard.db"))).toEqual(singleRows);
    const files = runFiles(single);
    expect(Object.keys(files).filter((path) => path.startsWith("artifacts/")).length).toBeGreaterThan(100);
    expect(Object.keys(files).some((path) => path.startsWith("artifacts/halt/"))).toBe(true);
    expect(Object.keys(files).some((path) => path.startsWith("outbox/"))).toBe(true);
    expect(runFiles(batched)).toEqual(files);
  });

  it("rolls a failed batch back to its last commit, and a resumed replay ends identical", async () => {
    const straight = tempDir("commit-straight");
    await replayTo(straight, 10);
    const out = tempDir("commit-failed");
    const db = join(out, "state.db");
    const sessions = nyseCalendar.sessionsBetween("2012-10-01", "2013-12-31");
    // The 26th session fails: sessions 1–20 were committed in two batches, 21–26 are rolled back.
    await expect(replayTo(out, 10, db, sessions[25])).rejects.toThrow(/injected failure/);
    const [engine] = rows(db, "SELECT value_json FROM system_state WHERE key = 'engine'");
    expect((JSON.parse(String(engine.value_json)) as { lastSession: string }).lastSession).toBe(sessions[19]);
    expect(rows(db, "SELECT MAX(session) AS last FROM equity")).toEqual([{ last: sessions[19] }]);
    expect(rows(db, "SELECT status, last_session FROM runs")).toEqual([{ status: "failed", last_session: sessions[19] }]);

    await replayTo(out, 10, db);
    const straightRows = storeRows(join(straight, "tradeguard.db"));
    expect(storeRows(db)).toEqual(straightRows);
    // The outbox may hold an alert twice: one sent before the failure is sent again when its session re-runs.
    const withoutOutbox = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith("outbox/")));
    expect(withoutOutbox(runFiles(out))).toEqual(withoutOutbox(runFiles(straight)));
  });
});
