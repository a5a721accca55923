import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/main.js";
import { SimulatedClock } from "../../src/clock/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";
import { runMain, tradeguard } from "./fixtures.js";

const SPX = ["--data", "data/sp500-2000.csv", "--symbol", "SPX"];

/** A store as a run leaves it: one run of sma_cross and a second strategy named by its id. */
function storeOfARun(): string {
  const db = join(tempDir("cli-kill"), "bot.db");
  const store = openStore(db, new SimulatedClock(0));
  store.startRun({ runId: "r1", mode: "simulated", config: {}, args: { strategies: [{ name: "sma_cross", params: {} }, { name: "buy_and_hold", id: "bh_spx", params: {} }] } });
  store.close();
  return db;
}

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("the tradeguard CLI", () => {
  it("replays a year of S&P 500 and writes summary, timeline and events", () => {
    const out = tempDir("cli-run");
    const result = tradeguard("run", ...SPX, "--from", "2008-01-02", "--to", "2008-12-31", "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ first_session: "2008-01-02", last_session: "2008-12-31", sessions: 253 });
    expect(readFileSync(join(out, "timeline.csv"), "utf8").split("\n")[0]).toBe("date,equity,high_water_mark,drawdown,state,sizing_multiplier,orders_submitted");
    expect(existsSync(join(out, "events.jsonl"))).toBe(true);
  });

  it("creates the store owner-only: the file 0600 and its folder 0700", () => {
    const out = join(tempDir("cli-perm"), "new-run");
    expect(tradeguard("run", ...SPX, "--from", "2020-03-02", "--to", "2020-03-06", "--out", out, "--quiet").status).toBe(0);

    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "tradeguard.db")).mode & 0o777).toBe(0o600);
  });

  it("exits 2 with one line naming the file, line and column for a bad CSV", () => {
    const dir = tempDir("cli-bad");
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,abc,10\n");
    const result = tradeguard("run", "--data", csv, "--symbol", "X", "--out", join(dir, "out"));
    expect(result.status).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain("bad.csv:2 column 'close'");
  });

  it("exits 2 for an unknown configuration key, a bad date, an unknown strategy and an unknown flag", async () => {
    const base = ["run", ...SPX, "--out", tempDir("cli-bad2")];
    for (const [extra, message] of [
      [["--set", "HALT_DAYS=3"], "unknown configuration key 'HALT_DAYS'"],
      [["--from", "2008-02-30"], "--from: expected a date YYYY-MM-DD"],
      [["--strategy", "yolo"], 'unknown strategy "yolo"'],
      [["--strategy", "buy_and_hold:weight=0.7", "--strategy", "buy_and_hold:id=b:weight=0.4"], "strategy weights sum to 1.1"],
      [["--bogus"], "Unknown argument"],
    ] as const) {
      const result = await runMain([...base, ...extra]);
      expect(result.status, extra.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it("exits 2 naming the flag and the nearest sessions for a --from or --to on a weekend, holiday or closure", async () => {
    const out = tempDir("cli-dates");
    for (const [flag, date, nearest] of [
      ["--from", "2020-01-04", "nearest sessions 2020-01-03 and 2020-01-06"],
      ["--to", "2019-12-25", "nearest sessions 2019-12-24 and 2019-12-26"],
      ["--from", "2012-10-29", "nearest sessions 2012-10-26 and 2012-10-31"],
    ]) {
      const result = await runMain(["run", ...SPX, flag, date, "--out", out]);
      expect(result.status, date).toBe(2);
      expectOneLine(result.stderr);
      expect(result.stderr).toContain(`${flag}: ${date} is not an NYSE session (weekend, holiday or closure); ${nearest}`);
    }
  });

  it("exits 2 naming the data's last date for a replay that runs past the end of the data", async () => {
    const result = await runMain(["run", ...SPX, "--from", "2020-03-02", "--to", "2020-06-01", "--out", tempDir("cli-past")]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe("tradeguard: --to 2020-06-01 is after the last date in the data (2020-04-17); end the replay at or before 2020-04-17\n");
  });

  it("names --capital, --synthetic and a repeated flag in their own words", async () => {
    const out = tempDir("cli-numbers");
    for (const [args, message] of [
      [["run", ...SPX, "--capital", "abc"], "--capital: expected a number from 0.01 to 1000000000000, e.g. --capital 1000, got 'abc'"],
      [["run", "--synthetic", "2.5", "--from", "2020-01-06", "--to", "2020-01-10"], "--synthetic: expected a whole number from 1 to 1000, got '2.5'"],
      [["run", ...SPX, "--capital", "5", "--capital", "7"], "--capital was given 2 times; give it once"],
      [["scenarios", "run", "--jobs", "many"], "--jobs: expected a whole number from 1 to 64, got 'many'"],
    ] as const) {
      const result = await runMain([...args, "--out", out]);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(`tradeguard: ${message}\n`);
    }
  });

  it("writes the suite report into a missing --out folder when every scenario file is invalid", async () => {
    const dir = tempDir("cli-scen");
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: [unclosed\n");
    const out = join(dir, "fresh", "reports");

    const result = await runMain(["scenarios", "run", bad, "--out", out, "--jobs", "1"]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe("tradeguard: some scenario files are invalid (see INVALID above)\n");
    expect(existsSync(join(out, "report.html"))).toBe(true);
  });

  it("lists every command when none is named", async () => {
    const bare = await runMain([]);
    const help = tradeguard("--help");

    expect(bare.status).toBe(2);
    expect(bare.stderr).toBe(`tradeguard: name a command: ${COMMANDS.join(", ")} (see --help)\n`);
    const listed = [...help.stdout.matchAll(/^ {2}tradeguard ([\w-]+)/gm)].map((match) => match[1]);
    expect([...listed].sort()).toEqual([...COMMANDS].sort());
  });

  it("wraps help between words, never inside one", () => {
    const flat = (text: string) => text.replace(/\s+/g, " ");
    const top = flat(tradeguard("--help").stdout);
    const run = flat(tradeguard("run", "--help").stdout);

    expect(top).toContain("Replay history through the safety pipeline and write summary, timeline, events and artifacts");
    expect(top).toContain("Run scenario files (replay + injected faults + expectations); exit 0 all pass, 1 a failure, 2 invalid input");
    expect(run).toContain("CSV file(s) of daily OHLCV bars (columns date,open,high,low,close,volume[,symbol])");
    expect(run).toContain("SQLite state file to continue (default: a fresh <out>/tradeguard.db)");
  });

  it("stops quietly when the reader closes the pipe early", async () => {
    const child = spawn(process.execPath, ["src/cli/bin.js", "config"], { stdio: ["ignore", "pipe", "pipe"] });
    // Closing our end before the child writes makes its every write fail with EPIPE, as `| head -1` does.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));

    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("exits 2 naming the file when --db is not a SQLite store, not a tradeguard store, missing or in a missing folder", async () => {
    const dir = tempDir("cli-db");
    const notADb = join(dir, "notes.txt");
    writeFileSync(notADb, "hello");
    const emptySqlite = join(dir, "empty.db");
    writeFileSync(emptySqlite, "");
    for (const [db, message] of [
      [notADb, "is not a SQLite database"],
      [emptySqlite, "is not a tradeguard store"],
      [join(dir, "typo.db"), "no such store"],
      [join(dir, "missing", "bot.db"), "the folder does not exist"],
    ]) {
      const result = await runMain(["kill", "on", "--db", db]);
      expect(result.status, db).toBe(2);
      expect(result.stderr).toContain(db);
      expect(result.stderr).toContain(message);
    }
    expect(existsSync(join(dir, "typo.db"))).toBe(false);
    expect(readFileSync(emptySqlite, "utf8")).toBe("");
  });

  it("flips kill switches in a run's store, for strategy ids the run knows", async () => {
    const db = storeOfARun();
    expect((await runMain(["kill", "on", "--db", db])).status).toBe(0);
    expect((await runMain(["kill", "on", "--strategy", "sma_cross", "--db", db])).status).toBe(0);
    expect((await runMain(["kill", "on", "--strategy", "bh_spx", "--db", db])).status).toBe(0);
    expect((await runMain(["kill", "off", "--db", db])).status).toBe(0);

    const unknown = await runMain(["kill", "on", "--strategy", "nosuch", "--db", db]);

    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(`tradeguard: --strategy nosuch: no such strategy in ${db}; its run has sma_cross, bh_spx\n`);
    const store = openStore(db, new SimulatedClock(0));
    expect(store.getSystemState("kill_switch")).toEqual({ global: false, strategies: { sma_cross: true, bh_spx: true } });
    store.close();
    expect((await runMain(["kill", "maybe", "--db", db])).status).toBe(2);
  });
});
