import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { tempDir } from "../engine/fixtures.js";
import { KEYS, startSandbox } from "../sandbox/fixtures.js";
import { haltingBars, runMain, tradeOnceArgs } from "./fixtures.js";

const FALLING = haltingBars();

describe("tradeguard status", () => {
  it("shows a halted bot's state, cooldown, numbers, switches, reconciliation and whether it runs; sqlite3 reads the same state", async () => {
    const sandbox = await startSandbox({ bars: FALLING });
    const dir = tempDir("status");
    const db = join(dir, "bot.db");
    const trade = () => runMain(tradeOnceArgs(sandbox.url, KEYS, db, join(dir, "out"), "--strategy", "buy_and_hold:symbol=AAA"));
    expect((await trade()).status).toBe(0);
    await sandbox.advance(1);
    expect((await trade()).status).toBe(0);
    await sandbox.advance(1);
    expect((await trade()).status).toBe(0);
    await runMain(["kill", "on", "--strategy", "buy_and_hold", "--db", db]);

    const json = await runMain(["status", "--db", db, "--json"]);
    const text = await runMain(["status", "--db", db]);
    const raw = new Database(db, { readonly: true });
    const sqlite3 = raw.prepare("SELECT value FROM system_state WHERE key='drawdown_stop_state'").pluck().get() as string;
    raw.close();

    expect(json.status, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status).toMatchObject({
      state: "HALTED", sessions_left: 10, high_water_mark: 1000, sizing_multiplier: 1,
      kill_switches: { global: false, strategies: ["buy_and_hold"] },
      last_health_check: null, last_reconciliation: { clean: true, mismatched_symbols: [] },
      open_orders: [], flatten_pending: null, blocked_symbols: [], running: false, process: null,
    });
    expect(status.drawdown).toBeGreaterThan(0.08);
    expect(status.last_session).toBe(FALLING.sessions[2]);
    expect(JSON.parse(sqlite3)).toEqual({ mode: "HALTED", highWaterMark: 1000, cooldownRemaining: 10, rampupRemaining: 0, triggeredOn: FALLING.sessions[2] });
    expect(text.stdout).toMatch(/^state +HALTED \(10 session\(s\) left in the cooldown\)$/m);
    expect(text.stdout).toMatch(/^kill switches +global off; strategies buy_and_hold$/m);
    expect(text.stdout).toMatch(/^running +no$/m);
  });

  it("refuses a file that is no bot's store, with exit 2", async () => {
    const result = await runMain(["status", "--db", join(tempDir("status-none"), "missing.db")]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no such store/);
  });
});
