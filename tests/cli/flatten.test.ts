import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/clock/index.js";
import { ENGINE_STATE_KEY, type EngineState } from "../../src/engine/index.js";
import { openStore, type StoredEvent } from "../../src/store/index.js";
import { tempDir } from "../engine/fixtures.js";
import { KEYS, startSandbox } from "../sandbox/fixtures.js";
import { runMain } from "./fixtures.js";

/** Two strategies holding the same symbol, so one venue order must be split between them. */
const STRATEGIES = ["--strategy", "buy_and_hold:symbol=AAA:id=one", "--strategy", "buy_and_hold:symbol=AAA:id=two"];

function venueSettings(url: string): string[] {
  return ["--set", `ALPACA_BASE_URL=${url}`, "--set", `ALPACA_API_KEY=${KEYS.keyId}`, "--set", `ALPACA_SECRET_KEY=${KEYS.secret}`];
}

function storeFacts(db: string): { state: EngineState; events: StoredEvent[] } {
  const store = openStore(db, new SimulatedClock(0));
  try {
    return { state: store.getSystemState<EngineState>(ENGINE_STATE_KEY)!, events: store.listEvents(store.latestRun()!.runId) };
  } finally {
    store.close();
  }
}

describe("tradeguard flatten and kill on --flatten against the sandbox", () => {
  it("closes everything now, and the next trade session books the sells per strategy with reconciliation clean", async () => {
    const sandbox = await startSandbox();
    const dir = tempDir("flatten");
    const db = join(dir, "bot.db");
    const trade = () => runMain(["trade", "--broker", "paper", "--once", "--db", db, "--out", join(dir, "out"), ...STRATEGIES, ...venueSettings(sandbox.url), "--set", "TRADE_CLOSE_DELAY_MINUTES=0", "--set", "MIN_HISTORY_DAYS=1"]);
    expect((await trade()).status).toBe(0);
    await sandbox.advance(1);
    expect((await trade()).status).toBe(0);
    const holdersBefore = storeFacts(db).state.ledger.holdings.filter((holding) => holding.qty > 0).map((holding) => holding.strategyId);
    const heldBefore = (await fetchPositions(sandbox.url)).map((position) => position.symbol);

    const killed = await runMain(["kill", "on", "--flatten", "--broker", "paper", "--db", db, ...venueSettings(sandbox.url)]);
    const queued = JSON.parse((await runMain(["status", "--db", db, "--json"])).stdout);
    await sandbox.advance(1);
    const after = await trade();

    expect(heldBefore).toEqual(["AAA"]);
    expect(holdersBefore.sort()).toEqual(["one", "two"]);
    expect(killed.stderr).toBe("");
    expect(killed.status).toBe(0);
    expect(killed.stdout).toMatch(/kill switch \(global\) is on/);
    expect(killed.stdout).toMatch(/flatten after \d{4}-\d{2}-\d{2}: open orders canceled; sell [\d.]+ AAA/);
    expect(queued.open_orders).toEqual([expect.objectContaining({ symbol: "AAA", side: "sell", strategy: null, reason: "OPERATOR_FLATTEN" })]);
    expect(after.status, after.stderr).toBe(0);
    const { state, events } = storeFacts(db);
    const types = events.map((event) => event.type);
    expect(types).toContain("operator_flatten");
    expect(types).toContain("operator_order_adopted");
    expect(types).not.toContain("reconciliation_mismatch");
    const sells = events.filter((event) => event.type === "order_filled" && event.reason === "OPERATOR_FLATTEN");
    expect(sells.map((event) => event.strategy).sort()).toEqual(["one", "two"]);
    expect(state.openOrders).toEqual([]);
    expect(state.reconciliationMismatches).toEqual([]);
    expect(state.ledger.holdings.filter((holding) => holding.qty !== 0)).toEqual([]);
    expect(await fetchPositions(sandbox.url)).toEqual([]);
    const status = JSON.parse((await runMain(["status", "--db", db, "--json"])).stdout);
    expect(status).toMatchObject({ state: "ACTIVE", open_orders: [], kill_switches: { global: true }, last_reconciliation: { clean: true }, running: false });
  });

  it("records a failed close-all as an event and exits 1, the store still open for the next session", async () => {
    const sandbox = await startSandbox();
    const dir = tempDir("flatten-failed");
    const db = join(dir, "bot.db");
    const trade = () => runMain(["trade", "--broker", "paper", "--once", "--db", db, "--out", join(dir, "out"), ...STRATEGIES, ...venueSettings(sandbox.url), "--set", "TRADE_CLOSE_DELAY_MINUTES=0", "--set", "MIN_HISTORY_DAYS=1"]);
    expect((await trade()).status).toBe(0);
    sandbox.faults.add({ kind: "server_error", count: 1, method: "DELETE", path: "/v2/positions" });

    const failed = await runMain(["flatten", "--broker", "paper", "--db", db, ...venueSettings(sandbox.url)]);
    await sandbox.advance(1);
    const next = await trade();

    expect(failed.status).toBe(1);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
    expect(storeFacts(db).events.filter((event) => event.type === "operator_flatten_failed")).toHaveLength(1);
    expect(next.status, next.stderr).toBe(0);
  });

  it("refuses --broker live without TRADEGUARD_LIVE=I_UNDERSTAND and kill off --flatten, with exit 2", async () => {
    const dir = tempDir("flatten-guard");
    const live = await runMain(["flatten", "--broker", "live", "--db", join(dir, "none.db"), "--set", "ALPACA_BASE_URL=http://127.0.0.1:9"]);
    const off = await runMain(["kill", "off", "--flatten", "--broker", "paper", "--db", join(dir, "none.db")]);

    expect(live.status).toBe(2);
    expect(live.stderr).toMatch(/TRADEGUARD_LIVE=I_UNDERSTAND/);
    expect(off.status).toBe(2);
    expect(off.stderr).toMatch(/--flatten goes with kill on/);
  });
});

async function fetchPositions(url: string): Promise<{ symbol: string }[]> {
  const response = await fetch(`${url}/v2/positions`, { headers: { "APCA-API-KEY-ID": KEYS.keyId, "APCA-API-SECRET-KEY": KEYS.secret } });
  return (await response.json()) as { symbol: string }[];
}
