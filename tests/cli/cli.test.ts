import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/clock/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";

/** Runs the real CLI in a child process, as a user would. */
function tradeguard(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["src/cli/bin.js", ...args], { encoding: "utf8", env: { ...process.env, DRY_RUN: undefined } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the tradeguard CLI", () => {
  it("replays a year of S&P 500 and writes summary, timeline and events", () => {
    const out = tempDir("cli-run");
    const result = tradeguard("run", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--from", "2008-01-02", "--to", "2008-12-31", "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ first_session: "2008-01-02", last_session: "2008-12-31", sessions: 253 });
    expect(readFileSync(join(out, "timeline.csv"), "utf8").split("\n")[0]).toBe("date,equity,high_water_mark,drawdown,state,sizing_multiplier,orders_submitted");
    expect(existsSync(join(out, "events.jsonl"))).toBe(true);
  });

  it("exits 2 with one line naming the file, line and column for a bad CSV", () => {
    const dir = tempDir("cli-bad");
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,abc,10\n");
    const result = tradeguard("run", "--data", csv, "--symbol", "X", "--out", join(dir, "out"));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("bad.csv:2 column 'close'");
  });

  it("exits 2 for an unknown configuration key, a bad date, an unknown strategy and an unknown flag", () => {
    const base = ["run", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--out", tempDir("cli-bad2")];
    for (const [extra, message] of [
      [["--set", "HALT_DAYS=3"], "unknown configuration key 'HALT_DAYS'"],
      [["--from", "2008-02-30"], "--from: expected a date YYYY-MM-DD"],
      [["--strategy", "yolo"], 'unknown strategy "yolo"'],
      [["--strategy", "buy_and_hold:weight=0.7", "--strategy", "buy_and_hold:id=b:weight=0.4"], "strategy weights sum to 1.1"],
      [["--bogus"], "Unknown argument"],
    ] as const) {
      const result = tradeguard(...base, ...extra);
      expect(result.status, extra.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it("exits 2 naming the file when --db is not a SQLite store or its folder is missing", () => {
    const dir = tempDir("cli-db");
    const notADb = join(dir, "notes.txt");
    writeFileSync(notADb, "hello");
    for (const [db, message] of [[notADb, "is not a SQLite database"], [join(dir, "missing", "bot.db"), "the folder does not exist"]]) {
      const result = tradeguard("kill", "on", "--db", db);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`${db}`);
      expect(result.stderr).toContain(message);
    }
  });

  it("flips kill switches in the store", () => {
    const db = join(tempDir("cli-kill"), "bot.db");
    expect(tradeguard("kill", "on", "--db", db).status).toBe(0);
    expect(tradeguard("kill", "on", "--strategy", "sma_cross", "--db", db).status).toBe(0);
    expect(tradeguard("kill", "off", "--db", db).status).toBe(0);
    const store = openStore(db, new SimulatedClock(0));
    expect(store.getSystemState("kill_switch")).toEqual({ global: false, strategies: { sma_cross: true } });
    store.close();
    expect(tradeguard("kill", "maybe", "--db", db).status).toBe(2);
  });
});
