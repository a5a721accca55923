import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { tempDir } from "../engine/fixtures.js";
import { choosePoints, folderContents, rows, runTarget, sessionPointOrder, storeTables, type CrashAt, type CrashTarget } from "./crashHarness.js";

/**
 * Kill -9 anywhere: one replay of ~60 sessions around the 2020 PANIC (flatten on) is killed at 20 seeded
 * crash points in turn, each time restarted on the same store, and must end identical to a run never killed.
 * The replay commits 5 sessions at a time (`--commit-every 5`), so kills land inside batches and just before
 * a batch's commit, and every resume decides the uncommitted sessions again.
 * A failure prints the seed; TRADEGUARD_CRASH_SEED=<seed> replays the same points.
 */
const SEED = process.env.TRADEGUARD_CRASH_SEED ?? "flatten-2020";
const KILLS = 20;
const FROM = "2020-01-21";
const TO = "2020-04-17";

const REPLAY: CrashTarget = {
  args: (db, out) => ["--import", "tsx", "src/cli/main.ts", "run", "--data", "data/sp500-2000.csv", "--symbol", "SPX", "--from", FROM, "--to", TO, "--seed", "7", "--db", db, "--out", out, "--quiet", "--commit-every", "5"],
};

const TABLES = storeTables(["engine", "simulated_broker"]);

interface Committed {
  lastSession: string | null;
  mode: string | null;
  obligationOpen: boolean;
}

function committed(db: string): Committed {
  const [row] = rows(db, "SELECT value_json FROM system_state WHERE key = 'engine'");
  if (!row) return { lastSession: null, mode: null, obligationOpen: false };
  const state = JSON.parse(String(row.value_json)) as { lastSession: string; drawdown: { mode: string }; flattenObligation: unknown };
  return { lastSession: state.lastSession, mode: state.drawdown.mode, obligationOpen: state.flattenObligation != null };
}

function datesOf(db: string, where: string): string[] {
  return rows(db, `SELECT DISTINCT session FROM events WHERE ${where} ORDER BY session`).map((row) => String(row.session));
}

/** The run folder without its outbox, which a kill may add resent alerts to. */
function withoutOutbox(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith("outbox/")));
}

/** Distinct `<date> <kind>` of the alerts in the outbox (`outbox/<date>-<seq>-<kind>.eml`). */
function alertsSent(files: Record<string, string>): string[] {
  const alerts = Object.keys(files).flatMap((path) => /^outbox\/(\d{4}-\d{2}-\d{2})-\d+-(.+)\.eml$/.exec(path)?.slice(1, 3).join(" ") ?? []);
  return [...new Set(alerts)].sort();
}

describe("a replay killed with SIGKILL at many points", () => {
  it("ends with the same orders, fills, events, equity, state and artifacts as a run never killed", () => {
    const dir = tempDir("kill-anywhere");
    const straight = { db: join(dir, "straight.db"), out: join(dir, "straight") };
    expect(runTarget(REPLAY, straight.db, straight.out).status).toBe(0);

    const sessions = rows(straight.db, "SELECT session FROM equity ORDER BY session").map((row) => String(row.session));
    const panicOn = datesOf(straight.db, "type = 'drawdown_panic'")[0];
    const flatOn = datesOf(straight.db, "type = 'flatten_completed'")[0];
    const orderDates = datesOf(straight.db, "type = 'order_submitted' AND reason <> 'PANIC_FLATTEN'");
    expect(panicOn && flatOn && orderDates.length > 1, "the window holds a panic, its flatten and other orders").toBeTruthy();
    const rng = seedrandom(`${SEED}:required`);
    const pick = (list: readonly string[]) => list[Math.floor(rng() * list.length)];
    const required: CrashAt[] = [
      { name: "flatten:after_withdraw", date: panicOn },
      { name: "flatten:after_send", date: panicOn },
      { name: "stage:fills", date: flatOn },
      { name: "submit:after_intents", date: pick(orderDates) },
      { name: "submit:after_send", date: pick(orderDates) },
      { name: "persist:in_transaction", date: pick(sessions) },
      // The last session always ends a batch, wherever earlier resumes started theirs.
      { name: "replay:before_commit", date: sessions.at(-1)! },
    ];
    const everySession = sessionPointOrder().filter((name) => name.startsWith("stage:") || name === "persist:in_transaction");
    const candidates = sessions.flatMap((date) => everySession.map((name) => ({ name, date })));
    const points = choosePoints(SEED, required, candidates, KILLS);
    const context = `seed=${SEED} points=${points.map((p) => `${p.name}@${p.date}`).join(",")}`;

    const killed = { db: join(dir, "killed.db"), out: join(dir, "killed") };
    for (const point of points) {
      const run = runTarget(REPLAY, killed.db, killed.out, point);
      expect(run.signal, `${context}\n${point.name}@${point.date} was never reached: ${run.stderr}`).toBe("SIGKILL");
      // The halt/panic state and an open flatten obligation are what the straight run had at that commit.
      const after = committed(killed.db);
      if (after.lastSession !== null) {
        const [row] = rows(straight.db, `SELECT state FROM equity WHERE session = '${after.lastSession}'`);
        expect(after.mode, `${context}\nmode after ${after.lastSession}`).toBe(row.state);
        const owed = after.lastSession >= panicOn && after.lastSession < flatOn;
        expect(after.obligationOpen, `${context}\nflatten obligation after ${after.lastSession}`).toBe(owed);
      }
    }
    const last = runTarget(REPLAY, killed.db, killed.out);
    expect(last.status, `${context}\n${last.stderr}`).toBe(0);

    for (const [table, sql] of Object.entries(TABLES)) {
      expect(rows(killed.db, sql), `${context}\ntable ${table}`).toEqual(rows(straight.db, sql));
    }
    const [killedFiles, straightFiles] = [folderContents(killed.out), folderContents(straight.out)];
    expect(withoutOutbox(killedFiles), `${context}\nrun folder`).toEqual(withoutOutbox(straightFiles));
    // Alerts are at least once: an alert sent before a kill and the session's commit is sent again when the
    // session re-runs (the outbox numbers it after the first). None may be lost or new in kind.
    expect(alertsSent(killedFiles), `${context}\nalerts`).toEqual(alertsSent(straightFiles));

    // "Never reaches the broker twice": the simulated venue is restored from the snapshot committed with each
    // session, so a kill after a send rewinds the venue too and the resumed run's send is that venue's first
    // sight of the id. What can be checked, and is, is that the store's orders and the venue's book each hold
    // every client order id once, and equal the straight run's (above): no order was doubled by a restart.
    const ids = rows(killed.db, "SELECT client_order_id FROM orders").map((row) => row.client_order_id);
    expect(new Set(ids).size).toBe(ids.length);
    const [venue] = rows(killed.db, "SELECT value_json FROM system_state WHERE key = 'simulated_broker'");
    const venueIds = (JSON.parse(String(venue.value_json)) as { orders: { order: { clientOrderId: string } }[] }).orders.map((sim) => sim.order.clientOrderId);
    expect(new Set(venueIds).size).toBe(venueIds.length);
    expect(points.length).toBeGreaterThanOrEqual(20);
  }, 600_000);
});
