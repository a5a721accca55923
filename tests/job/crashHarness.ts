import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import seedrandom from "seedrandom";
import { CRASH_AT_ENV, SESSION_STAGES } from "../../src/engine/index.js";

/**
 * A harness that kills a tradeguard process with SIGKILL at chosen crash points (TRADEGUARD_CRASH_AT) and
 * restarts it on the same store. It knows nothing of the command it runs: a `CrashTarget` says how to
 * start one run on a store, so `run` (replay) today and `trade --loop` against the sandbox later both fit.
 */
export interface CrashTarget {
  /** Arguments after `node` for one run that continues the store `db` and writes into `out`. */
  args(db: string, out: string): string[];
  /** Extra environment for every run (the crash variable is added per run). */
  env?: Record<string, string>;
}

/** One place to die: a crash point's name and the session it fires on. */
export interface CrashAt {
  name: string;
  date: string;
}

export interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the target once, optionally set to kill itself at `crashAt`. */
export function runTarget(target: CrashTarget, db: string, out: string, crashAt?: CrashAt): ChildRun {
  const result = spawnSync(process.execPath, target.args(db, out), { env: targetEnv(target, crashAt), encoding: "utf8" });
  return { status: result.status, signal: result.signal, stderr: result.stderr };
}

/** Like `runTarget`, without blocking this process: a venue served from this process (the sandbox) keeps answering. */
export function runTargetAsync(target: CrashTarget, db: string, out: string, crashAt?: CrashAt): Promise<ChildRun> {
  const child = spawn(process.execPath, target.args(db, out), { env: targetEnv(target, crashAt), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("close", (status, signal) => resolve({ status, signal, stderr })));
}

function targetEnv(target: CrashTarget, crashAt: CrashAt | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...target.env };
  delete env[CRASH_AT_ENV];
  if (crashAt) env[CRASH_AT_ENV] = `${crashAt.name}@${crashAt.date}`;
  return env;
}

/**
 * Every point a session passes, in the order it passes them: each stage's start, with the finer points
 * inside a stage after it. Sorting kills by (date, this order) lets one run die at all of them in turn.
 */
export function sessionPointOrder(): string[] {
  const inside: Record<string, string[]> = {
    flatten: ["flatten:after_withdraw"],
    idempotency_and_broker: ["submit:after_intents", "submit:after_send", "flatten:after_send"],
    persist: ["persist:in_transaction"],
    // A replay committing several sessions at once: after the batch's last session, before its commit.
    artifacts: ["replay:before_commit"],
  };
  return SESSION_STAGES.flatMap((stage) => [`stage:${stage.name}`, ...(inside[stage.name] ?? [])]);
}

/** `count` distinct points: all of `required`, the rest drawn from `candidates` with `seed`, in the order a run meets them. */
export function choosePoints(seed: string, required: readonly CrashAt[], candidates: readonly CrashAt[], count: number): CrashAt[] {
  const rng = seedrandom(seed);
  const key = (point: CrashAt) => `${point.name}@${point.date}`;
  const chosen = new Map(required.map((point) => [key(point), point]));
  const pool = candidates.filter((point) => !chosen.has(key(point)));
  while (chosen.size < count && pool.length > 0) {
    const [point] = pool.splice(Math.floor(rng() * pool.length), 1);
    chosen.set(key(point), point);
  }
  const order = sessionPointOrder();
  return [...chosen.values()].sort((a, b) => a.date.localeCompare(b.date) || order.indexOf(a.name) - order.indexOf(b.name));
}

/** What a run leaves in its store that must not depend on where it was killed, with the system_state keys to compare. */
export function storeTables(stateKeys: readonly string[]): Record<string, string> {
  return {
    orders: "SELECT * FROM orders ORDER BY order_id",
    fills: "SELECT * FROM fills ORDER BY id",
    events: "SELECT * FROM events ORDER BY id",
    equity: "SELECT * FROM equity ORDER BY session",
    signals: "SELECT * FROM signals ORDER BY id",
    // `attempts` counts sends a restart retried, which a kill between recording and sending rightly bumps.
    order_intents: "SELECT idempotency_key, client_order_id, strategy_id, symbol, side, session, seq, notional, qty, reason, status FROM order_intents ORDER BY idempotency_key",
    state: `SELECT key, value_json FROM system_state WHERE key IN (${stateKeys.map((key) => `'${key}'`).join(", ")}) ORDER BY key`,
  };
}

/** Query rows of an SQLite file (read-only), or [] when the file or table does not exist yet. */
export function rows(db: string, sql: string): Record<string, unknown>[] {
  let handle: Database.Database;
  try {
    handle = new Database(db, { readonly: true, fileMustExist: true });
  } catch {
    return [];
  }
  try {
    return handle.prepare(sql).all() as Record<string, unknown>[];
  } catch {
    return [];
  } finally {
    handle.close();
  }
}

/** Every file under `dir` (relative path → sha256 of its bytes), for a byte-for-byte comparison of two run folders. */
export function folderContents(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(dir, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return files;
}
