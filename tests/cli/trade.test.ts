import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { nyseCalendar, SimulatedClock } from "../../src/clock/index.js";
import { generateSyntheticBars, type BarStore } from "../../src/data/index.js";
import { prepareReplay } from "../../src/job/index.js";
import { Sandbox } from "../../src/sandbox/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { configWith, tempDir } from "../engine/fixtures.js";
import { KEYS, startSandbox } from "../sandbox/fixtures.js";
import { haltingBars, runMain, tradeOnceArgs } from "./fixtures.js";

const FIRST = "2019-05-31";
const SESSIONS = 30;
const STRATEGIES = ["sma_cross:symbol=SYN000:fast=5:slow=20", "buy_and_hold:symbol=SYN001"];
/** Recognisable, so a test can grep every output for it. */
const SECRET = "sk-CANARY-7f3a9e1d-never-print-me";
const KEY_ID = "PK-CANARY-KEY";

function universe(): BarStore {
  return generateSyntheticBars({ symbols: 2, from: "2018-01-02", to: "2019-12-31", calendar: nyseCalendar, seed: 11 });
}

/** Events and equity rows of a store's run; client order ids hash the account label (simulated vs paper), so they are normalised. */
function decisions(store: Store): { events: string[]; equity: unknown[] } {
  const runId = store.latestRun()!.runId;
  return {
    events: store.listEvents(runId).map((event) => JSON.stringify({ ...event, id: 0, runId: "", ts: 0 }).replace(/tg-\d{8}-[0-9a-f]{20}/g, "tg-ID")),
    equity: store.listEquity(runId).map((row) => ({ ...row, runId: "" })),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("tradeguard trade --broker paper against the sandbox", () => {
  it("decides 30 advancing sessions exactly as a replay of them, and never writes the secret anywhere", async () => {
    const bars = universe();
    const last = nyseCalendar.sessionsBetween(FIRST, "2019-12-31")[SESSIONS - 1];
    const replayOut = tempDir("trade-replay");
    const replay = prepareReplay({ bars: bars.clone(), dataLabel: "syn", strategies: STRATEGIES.map((text) => ({ name: text.split(":")[0], params: Object.fromEntries(text.split(":").slice(1).map((pair) => pair.split("="))) })), from: FIRST, to: last, config: configWith(), seed: 1, outDir: replayOut });
    await replay.run();
    const expected = decisions(replay.deps.store);
    await replay.close();

    const sandbox = await Sandbox.start({ bars, from: FIRST, capital: 1000, seed: "1", keys: { keyId: KEY_ID, secret: SECRET } });
    const dir = tempDir("trade-paper");
    const child = spawn(process.execPath, [
      "src/cli/bin.js", "trade", "--broker", "paper", "--loop", "--max-sessions", String(SESSIONS), "--db", join(dir, "bot.db"), "--out", join(dir, "out"),
      ...STRATEGIES.flatMap((strategy) => ["--strategy", strategy]),
      "--set", `ALPACA_BASE_URL=${sandbox.url}`, "--set", "TRADE_CLOSE_DELAY_MINUTES=0", "--set", "TRADE_POLL_SECONDS=0.02",
    ], { env: { ...process.env, APCA_API_KEY_ID: KEY_ID, APCA_API_SECRET_KEY: SECRET, DRY_RUN: undefined } });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const stdout: string[] = [];
    let decided = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      stdout.push(line);
      if (!line.includes(" decided:")) continue;
      decided += 1;
      if (decided < SESSIONS) await sandbox.advance(1);
    }
    const status = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));
    await sandbox.close();

    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(decided).toBe(SESSIONS);
    expect(stdout.filter((line) => line.startsWith("cap "))).toEqual([
      "cap MAX_ORDER_NOTIONAL=0 (dollars per entry order) is OFF",
      "cap MAX_DAILY_ORDERS=0 (orders per session across strategies) is OFF",
      "cap MAX_POSITION_PCT=0 (share of equity in one symbol across strategies) is OFF",
    ]);
    const store = openStore(join(dir, "bot.db"), new SimulatedClock(0));
    const actual = decisions(store);
    store.close();
    expect(actual.events.some((event) => event.includes("order_filled"))).toBe(true);
    expect(actual.events).toEqual(expected.events);
    expect(actual.equity).toEqual(expected.equity);
    const outputs = [stdout.join("\n"), stderr, ...filesUnder(dir).map((file) => readFileSync(file).toString("latin1"))];
    expect(outputs.filter((text) => text.includes(SECRET) || text.includes(KEY_ID))).toEqual([]);
  });

  it("refuses --broker live without TRADEGUARD_LIVE=I_UNDERSTAND, with exit 2 and one line", () => {
    const dir = tempDir("trade-live");
    const result = spawnSync(process.execPath, ["src/cli/bin.js", "trade", "--broker", "live", "--once", "--db", join(dir, "bot.db"), "--out", dir, "--set", "ALPACA_BASE_URL=http://127.0.0.1:9"], {
      encoding: "utf8", env: { ...process.env, TRADEGUARD_LIVE: undefined, APCA_API_KEY_ID: KEY_ID, APCA_API_SECRET_KEY: SECRET },
    });

    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/TRADEGUARD_LIVE=I_UNDERSTAND/);
    expect(result.stderr).not.toContain(SECRET);
  });
});

describe("tradeguard trade --broker simulated", () => {
  it("decides one session per --once after the store's last, then says there is nothing left", async () => {
    const { main } = await import("../../src/cli/main.js");
    const dir = tempDir("trade-sim");
    const args = (...more: string[]) => ["trade", "--broker", "simulated", "--once", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--strategy", "buy_and_hold", "--db", join(dir, "bot.db"), "--out", dir, "--quiet", ...more];

    expect(await main(args("--from", "2020-04-14"))).toBe(0);
    expect(await main(args())).toBe(0);
    const store = openStore(join(dir, "bot.db"), new SimulatedClock(0));
    const sessions = store.listEquity(store.latestRun()!.runId).map((row) => row.session);
    store.close();
    expect(sessions).toEqual(["2020-04-14", "2020-04-15"]);

    expect(await main(args())).toBe(0);
    expect(await main(args())).toBe(0);
    expect(await main(args())).toBe(0);
    const again = openStore(join(dir, "bot.db"), new SimulatedClock(0));
    expect(again.listEquity(again.latestRun()!.runId).map((row) => row.session)).toEqual(["2020-04-14", "2020-04-15", "2020-04-16", "2020-04-17"]);
    again.close();
  });
});

describe("tradeguard trade --once --fail-on-halt", () => {
  it("exits 3 on the session that ends HALTED, after the run files and the store are written", async () => {
    const falling = haltingBars();
    const sandbox = await startSandbox({ bars: falling });
    const dir = tempDir("trade-fail-on-halt");
    const trade = () => runMain(tradeOnceArgs(sandbox.url, KEYS, join(dir, "bot.db"), join(dir, "out"), "--strategy", "buy_and_hold:symbol=AAA", "--fail-on-halt"));
    const first = await trade();
    await sandbox.advance(1);
    const second = await trade();
    await sandbox.advance(1);

    const halted = await trade();

    expect([first.status, second.status]).toEqual([0, 0]);
    expect(halted.status).toBe(3);
    expect(halted.stderr).toBe(`tradeguard: ${falling.sessions[2]} ended HALTED; exit 3 (--fail-on-halt); see tradeguard status --db ${join(dir, "bot.db")}\n`);
    expect(readFileSync(join(dir, "out", "events.jsonl"), "utf8")).toContain(`"type":"drawdown_halt"`);
    expect(readdirSync(join(dir, "out", "artifacts", "halt"))).toEqual([`${falling.sessions[2]}.json`]);
  });

  it("refuses --fail-on-halt with --loop, with exit 2", async () => {
    const result = await runMain(["trade", "--loop", "--fail-on-halt", "--db", join(tempDir("trade-loop-halt"), "bot.db"), "--out", "unused"]);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe("tradeguard: --fail-on-halt goes with --once (a scheduled job's one session)\n");
  });
});
