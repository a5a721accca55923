import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../../src/clock/index.js";
import { generateSyntheticBars } from "../../src/data/index.js";
import { Sandbox } from "../../src/sandbox/index.js";
import { tempDir } from "../engine/fixtures.js";
import { folderContents, rows, runTargetAsync, sessionPointOrder, storeTables, type CrashAt, type CrashTarget } from "./crashHarness.js";

/**
 * Kill -9 anywhere, live: `trade --broker paper --loop --max-sessions 1` against an in-process sandbox that,
 * unlike a replay's venue, is never rewound. Each of 10 sessions is killed at two seeded points, restarted on
 * the same store, and the bot must end exactly where a bot never killed ends, having sent each client order
 * id to the venue once. TRADEGUARD_CRASH_SEED=<seed> replays the same points.
 */
const SEED = process.env.TRADEGUARD_CRASH_SEED ?? "trade-loop";
const FIRST = "2019-05-31";
const SESSIONS = 10;
const KEYS = { keyId: "PK-LOOP", secret: "loop-secret" };
const STRATEGIES = ["sma_cross:symbol=SYN000:fast=3:slow=8", "buy_and_hold:symbol=SYN001"];

function tradeLoop(url: string): CrashTarget {
  return {
    args: (db, out) => [
      "--import", "tsx", "src/cli/main.ts", "trade", "--broker", "paper", "--loop", "--max-sessions", "1", "--db", db, "--out", out, "--quiet",
      ...STRATEGIES.flatMap((strategy) => ["--strategy", strategy]),
      "--set", `ALPACA_BASE_URL=${url}`, "--set", "TRADE_CLOSE_DELAY_MINUTES=0", "--set", "TRADE_POLL_SECONDS=0.02",
    ],
    env: { APCA_API_KEY_ID: KEYS.keyId, APCA_API_SECRET_KEY: KEYS.secret },
  };
}

async function sandboxOn(port: number): Promise<Sandbox> {
  const bars = generateSyntheticBars({ symbols: 2, from: "2018-01-02", to: "2019-12-31", calendar: nyseCalendar, seed: 11 });
  return Sandbox.start({ bars, from: FIRST, capital: 1000, seed: "1", keys: KEYS, port });
}

function lastDecided(db: string): string | null {
  const [row] = rows(db, "SELECT value_json FROM system_state WHERE key = 'engine'");
  return row ? (JSON.parse(String(row.value_json)) as { lastSession: string | null }).lastSession : null;
}

/** Points every session passes (no flatten here); the submit points only on sessions that place orders. */
const EVERY_SESSION = sessionPointOrder().filter((name) => name.startsWith("stage:") || name === "persist:in_transaction");
const ORDER_POINTS = ["submit:after_intents", "submit:after_send"];
/** The last point, `stage:artifacts`, comes after the session's commit. */
const BEFORE_COMMIT = EVERY_SESSION.filter((name) => name !== "stage:artifacts");

// The venue is the sandbox here, not a snapshot in the store: only the engine's state is compared.
const TABLES = storeTables(["engine"]);

describe("trade --loop against the sandbox, killed with SIGKILL at many points", () => {
  it("ends with the same store and run files as a bot never killed, and never sends a client order id twice", async () => {
    const dir = tempDir("kill-loop");
    // The run id hashes the configuration, sandbox URL included: both bots meet a sandbox on the same port.
    const straightVenue = await sandboxOn(0);
    const port = Number(new URL(straightVenue.url).port);
    const straight = { db: join(dir, "straight.db"), out: join(dir, "straight") };
    for (let k = 0; k < SESSIONS; k++) {
      if (k > 0) await straightVenue.advance(1);
      const run = await runTargetAsync(tradeLoop(straightVenue.url), straight.db, straight.out);
      expect(run.status, run.stderr).toBe(0);
    }
    const straightVenueOrders = await straightVenue.broker.listOrders({ status: "all" });
    await straightVenue.close();

    const orderDates = rows(straight.db, "SELECT DISTINCT session FROM events WHERE type = 'order_submitted' ORDER BY session").map((row) => String(row.session));
    expect(orderDates.length, "the window holds orders on several sessions").toBeGreaterThan(1);
    const rng = seedrandom(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
    const sessions = nyseCalendar.sessionsBetween(FIRST, "2019-12-31").slice(0, SESSIONS);
    const plan = new Map<string, CrashAt[]>(sessions.map((date) => {
      const ordered = orderDates.includes(date);
      const first = ordered ? pick([...ORDER_POINTS, "persist:in_transaction"]) : pick(BEFORE_COMMIT);
      const second = pick(ordered ? [...EVERY_SESSION, ...ORDER_POINTS] : EVERY_SESSION);
      return [date, [{ name: first, date }, { name: second, date }]];
    }));
    const context = `seed=${SEED} points=${[...plan.values()].flat().map((p) => `${p.name}@${p.date}`).join(",")}`;

    const killedVenue = await sandboxOn(port);
    const killed = { db: join(dir, "killed.db"), out: join(dir, "killed") };
    const target = tradeLoop(killedVenue.url);
    let kills = 0;
    for (const [k, date] of sessions.entries()) {
      if (k > 0) await killedVenue.advance(1);
      for (const point of plan.get(date) ?? []) {
        if (lastDecided(killed.db) === date) break;
        const run = await runTargetAsync(target, killed.db, killed.out, point);
        expect(run.signal, `${context}\n${point.name}@${date} was never reached: ${run.stderr}`).toBe("SIGKILL");
        kills += 1;
      }
      if (lastDecided(killed.db) !== date) expect((await runTargetAsync(target, killed.db, killed.out)).status, context).toBe(0);
    }
    const killedVenueOrders = await killedVenue.broker.listOrders({ status: "all" });
    await killedVenue.close();

    expect(kills).toBeGreaterThanOrEqual(SESSIONS + 1);
    for (const [table, sql] of Object.entries(TABLES)) {
      expect(rows(killed.db, sql), `${context}\ntable ${table}`).toEqual(rows(straight.db, sql));
    }
    const files = (out: string) => Object.fromEntries(Object.entries(folderContents(out)).filter(([path]) => !path.startsWith("outbox/")));
    expect(files(killed.out), `${context}\nrun folder`).toEqual(files(straight.out));
    const ids = killedVenueOrders.map((order) => order.clientOrderId);
    expect(new Set(ids).size, `${context}\na client order id reached the venue twice`).toBe(ids.length);
    expect(killedVenueOrders).toEqual(straightVenueOrders);
  }, 900_000);
});
