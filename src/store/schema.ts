import type Database from "better-sqlite3";
import type { Clock } from "../clock/types.js";
import { StoreOpenError } from "./errors.js";

/** One schema step; `version` numbers increase from 1 and are never reused or edited once shipped. */
interface Migration {
  version: number;
  sql: string;
}

const runId = "run_id TEXT NOT NULL REFERENCES runs(run_id)";

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        mode TEXT NOT NULL,
        config_json TEXT NOT NULL,
        args_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        last_session TEXT,
        finished_at INTEGER
      );
      CREATE TABLE system_state (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE order_intents (
        idempotency_key TEXT NOT NULL UNIQUE,
        ${runId},
        client_order_id TEXT NOT NULL UNIQUE,
        strategy_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        session TEXT NOT NULL,
        seq INTEGER NOT NULL,
        notional REAL,
        qty REAL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        last_attempt_at INTEGER NOT NULL,
        status TEXT NOT NULL
      );
      CREATE INDEX order_intents_last_attempt ON order_intents (last_attempt_at);
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY,
        ${runId},
        client_order_id TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        time_in_force TEXT NOT NULL,
        qty REAL,
        notional REAL,
        limit_price REAL,
        status TEXT NOT NULL,
        filled_qty REAL NOT NULL,
        filled_avg_price REAL,
        commission REAL NOT NULL,
        submitted_at INTEGER NOT NULL,
        filled_at INTEGER,
        reason TEXT,
        session TEXT NOT NULL
      );
      CREATE INDEX orders_run ON orders (run_id);
      CREATE INDEX orders_client_order_id ON orders (client_order_id);
      CREATE TABLE fills (
        id INTEGER PRIMARY KEY,
        ${runId},
        order_id TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        qty REAL NOT NULL,
        price REAL NOT NULL,
        commission REAL NOT NULL,
        session TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE INDEX fills_run ON fills (run_id);
      CREATE TABLE equity (
        ${runId},
        session TEXT NOT NULL,
        equity REAL NOT NULL,
        cash REAL NOT NULL,
        high_water_mark REAL NOT NULL,
        drawdown REAL NOT NULL,
        state TEXT NOT NULL,
        sizing_multiplier REAL NOT NULL,
        orders_submitted INTEGER NOT NULL,
        PRIMARY KEY (run_id, session)
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ${runId},
        session TEXT NOT NULL,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        reason TEXT NOT NULL,
        strategy TEXT,
        symbol TEXT,
        detail TEXT NOT NULL,
        data_json TEXT
      );
      CREATE INDEX events_run_session ON events (run_id, session);
      CREATE INDEX events_type ON events (type);
      CREATE TABLE signals (
        id INTEGER PRIMARY KEY,
        ${runId},
        session TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        target_weight REAL,
        stage TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX signals_run ON signals (run_id, session);
    `,
  },
  {
    // Fetched daily bars for the live driver; a null price is a value the source sent as non-finite.
    version: 2,
    sql: `
      CREATE TABLE bars (
        symbol TEXT NOT NULL,
        session TEXT NOT NULL,
        open REAL,
        high REAL,
        low REAL,
        close REAL,
        volume REAL,
        PRIMARY KEY (symbol, session)
      ) WITHOUT ROWID;
    `,
  },
  {
    // The flight recorder: what each `trade` process decided from, so `replay-recording` can re-run it offline.
    // An invocation is one process (its resolved, redacted config); a cycle is one decision cycle of it (cycle 0
    // is the wiring before the first); calls are every broker and market-data request in order, hash-chained.
    version: 3,
    sql: `
      CREATE TABLE recording_invocations (
        invocation INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        config_json TEXT NOT NULL,
        strategies_json TEXT NOT NULL,
        sha256 TEXT NOT NULL
      );
      CREATE TABLE recording_cycles (
        invocation INTEGER NOT NULL REFERENCES recording_invocations(invocation),
        cycle INTEGER NOT NULL,
        clock_start INTEGER NOT NULL,
        kind TEXT,
        session TEXT,
        clock_end INTEGER,
        outcome_json TEXT,
        sha256 TEXT,
        PRIMARY KEY (invocation, cycle)
      );
      CREATE TABLE recording_calls (
        seq INTEGER PRIMARY KEY,
        invocation INTEGER NOT NULL,
        cycle INTEGER NOT NULL,
        port TEXT NOT NULL,
        method TEXT NOT NULL,
        request_json TEXT NOT NULL,
        answer_json TEXT,
        error_json TEXT,
        duration_ms REAL NOT NULL,
        sha256 TEXT NOT NULL,
        FOREIGN KEY (invocation, cycle) REFERENCES recording_cycles(invocation, cycle)
      );
    `,
  },
  {
    // Operators read state with plain sqlite3 (`SELECT value FROM system_state WHERE key='drawdown_stop_state'`).
    // Version 3 belongs to the flight recorder's tables.
    version: 4,
    sql: "ALTER TABLE system_state ADD COLUMN value TEXT GENERATED ALWAYS AS (value_json) VIRTUAL;",
  },
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies each missing migration once, in order, each in its own write transaction. */
export function migrate(db: Database.Database, clock: Clock, path: string): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const current = currentVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new StoreOpenError(`${path}: database schema version ${current} is newer than this tradeguard supports (${SCHEMA_VERSION}); upgrade tradeguard`);
  }
  const isApplied = db.prepare<[number]>("SELECT 1 FROM schema_migrations WHERE version = ?");
  const markApplied = db.prepare<[number, number]>("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  for (const migration of MIGRATIONS) {
    // IMMEDIATE plus the re-check inside lets two processes open the same new file safely.
    db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      markApplied.run(migration.version, clock.now());
    }).immediate();
  }
}

function currentVersion(db: Database.Database): number {
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_migrations").get() as { version: number | null };
  return row.version ?? 0;
}
