import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createAlpacaBroker, type AlpacaSettings } from "../broker/alpaca/index.js";
import { DryRunBroker, SimulatedBroker, type Broker, type BrokerFault, type SimulatedBrokerSnapshot, type VenueControl } from "../broker/index.js";
import { startSandboxServer, type SandboxServer } from "../sandbox/index.js";
import { nyseCalendar, SimulatedClock, type SessionDate, type TradingCalendar } from "../clock/index.js";
import { redactConfig, type Config } from "../config/index.js";
import type { BarStore } from "../data/index.js";
import { ENGINE_STATE_KEY, replay, type EngineDeps, type ReplayHooks, type ReplayResult } from "../engine/index.js";
import { createNotifier } from "../notify/index.js";
import { ArtifactWriter, writeRunFiles, type BenchmarkSeries, type FinishedRun, type RunSummary } from "../report/index.js";
import { allocationProblem } from "../safety/index.js";
import { openStore, type Store } from "../store/index.js";
import { createStrategy, type Strategy, type StrategySpec } from "../strategies/index.js";
import { deriveRunId } from "./runId.js";
import { runUnguardedTwin } from "./twin.js";

import { ReplayInputError } from "./errors.js";

export { ReplayInputError };

export interface ReplayJobOptions {
  bars: BarStore;
  /** What the data was (file names, generator settings): part of the run id. */
  dataLabel: unknown;
  strategies: readonly StrategySpec[];
  /** Symbol for strategies that name none (a single-symbol file's `--symbol`). */
  defaultSymbol?: string;
  from?: SessionDate;
  to?: SessionDate;
  config: Config;
  seed: string | number;
  outDir: string;
  /** An existing store to continue; without it, `<outDir>/tradeguard.db` is made anew. */
  dbPath?: string;
  calendar?: TradingCalendar;
  brokerFaults?: readonly BrokerFault[];
  /**
   * Route every broker call through the Alpaca adapter, over HTTP, to an in-process sandbox serving the same
   * simulated venue: the replay's decisions must not change (`scenarios run --via-sandbox`).
   */
  viaSandbox?: boolean;
  /** Also replay the unguarded twin (default true; `--no-twin` turns it off). */
  twin?: boolean;
  /** Symbol whose buy-and-hold the report compares with (default: the data's first symbol). */
  benchmark?: string;
  /**
   * Sessions per SQLite commit (default 1, as `trade` always does). A `run` or scenario commits
   * REPLAY_COMMIT_EVERY at once and writes artifacts in the background: a kill loses at most that many
   * sessions, which the resumed replay decides again to the same bytes.
   */
  commitEvery?: number;
}

/** Sessions per commit of `tradeguard run` and of scenarios unless `--commit-every` says otherwise. */
export const REPLAY_COMMIT_EVERY = 250;

/** A replay wired and ready: scenario injections reach the parts through it before `run`. */
export interface PreparedReplay {
  runId: string;
  deps: EngineDeps;
  clock: SimulatedClock;
  simulatedBroker: SimulatedBroker;
  /** The venue's controls (time, faults, drift), whatever broker the engine talks to. */
  venue: VenueControl;
  from: SessionDate;
  to: SessionDate;
  run(hooks?: ReplayHooks): Promise<{ result: ReplayResult; summary: RunSummary }>;
  close(): Promise<void>;
}

/** Wires store, simulated broker (dry-run wrapped when DRY_RUN), strategies, notifier and artifacts for a replay. */
export function prepareReplay(options: ReplayJobOptions): PreparedReplay {
  const { config, bars } = options;
  if (config.BROKER_MODE !== "simulated") {
    throw new ReplayInputError(`BROKER_MODE=${config.BROKER_MODE}: a replay runs on the simulated broker; set BROKER_MODE=simulated`);
  }
  const calendar = options.calendar ?? nyseCalendar;
  const strategies = buildStrategies(options.strategies, options.defaultSymbol);
  for (const symbol of strategies.flatMap((strategy) => strategy.symbols)) {
    if (!bars.has(symbol)) throw new ReplayInputError(`strategy symbol ${symbol} is not in the data (loaded: ${bars.symbols.join(", ")}); pass --symbol or fix the strategy's symbol`);
  }
  if (options.benchmark !== undefined && !bars.has(options.benchmark)) {
    throw new ReplayInputError(`--benchmark ${options.benchmark} is not in the data (loaded: ${bars.symbols.join(", ")})`);
  }
  const { from, to } = replayWindow(bars, calendar, options.from, options.to);
  const capital = config.INITIAL_CAPITAL;
  const commitEvery = options.commitEvery ?? 1;
  const clock = new SimulatedClock(calendar.openTime(from));
  const store = openFreshOrExisting(options, clock);
  // A store that already traded is one bot's history: continuing it continues its run.
  const continued = store.getSystemState(ENGINE_STATE_KEY) === undefined ? undefined : store.latestRun()?.runId;
  const runId = continued ?? deriveRunId({ data: options.dataLabel, strategies: options.strategies, from, to, seed: options.seed, config: redactConfig(config) });
  store.startRun({ runId, mode: config.DRY_RUN ? "simulated+dry_run" : "simulated", config: redactConfig(config), args: { from, to, seed: options.seed, strategies: options.strategies } });
  const simulatedBroker = new SimulatedBroker({
    bars, clock, initialCash: capital, seed: options.seed,
    slippageBps: config.SLIPPAGE_BPS, commissionPerOrder: config.COMMISSION_PER_ORDER,
    allowFractional: config.ALLOW_FRACTIONAL, faults: options.brokerFaults ?? [],
  });
  const venueState = store.getSystemState<SimulatedBrokerSnapshot>(SIMULATED_BROKER_STATE_KEY);
  if (venueState) simulatedBroker.restore(venueState);
  const artifacts = new ArtifactWriter(options.outDir, runId, { background: commitEvery > 1 });
  const dryRunWrapped = (venueBroker: Broker): Broker => (config.DRY_RUN ? new DryRunBroker(venueBroker, clock) : venueBroker);
  const notifier = createNotifier({ smtpUrl: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, to: config.ALERT_EMAIL_TO, outboxDir: join(options.outDir, "outbox"), clock });
  const deps: EngineDeps = {
    runId, account: "simulated", config, calendar, clock, bars, broker: dryRunWrapped(simulatedBroker), store, strategies, notifier,
    artifacts,
    // A replay keeps every artifact: they are its evidence. Retention is for a live bot's disk.
    artifactRetention: "all",
    runFolder: { out: options.outDir, db: options.dbPath ?? join(options.outDir, "tradeguard.db") },
    sessionWriters: [(sessionStore) => sessionStore.setSystemState(SIMULATED_BROKER_STATE_KEY, simulatedBroker.snapshot())],
  };
  let sandbox: SandboxServer | undefined;
  return {
    runId, deps, clock, simulatedBroker, venue: simulatedBroker, from, to,
    async run(hooks) {
      try {
        if (options.viaSandbox) {
          sandbox = await startSandboxServer({ broker: simulatedBroker, clock, calendar, bars, keys: SANDBOX_KEYS });
          deps.broker = dryRunWrapped(createAlpacaBroker(sandboxSettings(sandbox.url), "paper", { env: {} }));
        }
        const result = await replay(deps, { clock, from, to, capital, venue: simulatedBroker, hooks, commitEvery });
        // After the guarded run, so the twin sees the bars exactly as injections left them.
        const twin = options.twin === false ? undefined : await runUnguardedTwin({
          runId, bars, calendar, config, strategies: options.strategies, defaultSymbol: options.defaultSymbol,
          seed: options.seed, from, to, brokerFaults: options.brokerFaults ?? [], commitEvery,
        });
        const benchmark = benchmarkSeries(bars, options.benchmark ?? bars.symbols[0], store.listEquity(runId).map((row) => row.session));
        const summary = withClosed(twin, () => writeRunFiles(options.outDir, store, runId, result.state, { capital, dryRun: config.DRY_RUN, twin, benchmark }));
        store.finishRun(runId, "completed", result.lastSession ?? result.resumedAfter);
        return { result, summary };
      } catch (error) {
        store.finishRun(runId, "failed", store.getRun(runId)?.lastSession ?? null);
        throw error;
      }
    },
    async close() {
      await artifacts.close();
      await sandbox?.close();
      await notifier.close();
      store.close();
    },
  };
}

/** The key pair of a replay's in-process sandbox: it listens on 127.0.0.1 only and lives as long as the replay. */
const SANDBOX_KEYS = { keyId: "tradeguard-replay", secret: "tradeguard-replay-sandbox" };

function sandboxSettings(url: string): AlpacaSettings {
  return { ALPACA_API_KEY: SANDBOX_KEYS.keyId, ALPACA_SECRET_KEY: SANDBOX_KEYS.secret, ALPACA_BASE_URL: url, ALPACA_DATA_URL: url, ALPACA_DATA_FEED: "iex" };
}

function withClosed<T>(twin: FinishedRun | undefined, write: () => T): T {
  try {
    return write();
  } finally {
    twin?.store.close();
  }
}

/** Closes of the benchmark symbol at the run's sessions (the last finite close where a bar is missing or bad). */
function benchmarkSeries(bars: BarStore, symbol: string | undefined, dates: readonly SessionDate[]): BenchmarkSeries | undefined {
  if (symbol === undefined || !bars.has(symbol)) return undefined;
  const series = bars.series(symbol);
  let last = Number.NaN;
  const closes = dates.map((date) => {
    const index = bars.indexOf(date);
    const close = index >= 0 && series.present[index] !== 0 ? series.close[index] : Number.NaN;
    if (Number.isFinite(close) && close > 0) last = close;
    return { date, close: last };
  });
  return { symbol, closes };
}

/** The system_state key of the simulated venue's snapshot, so a resumed run meets the broker it left. */
export const SIMULATED_BROKER_STATE_KEY = "simulated_broker";

function replayWindow(bars: BarStore, calendar: TradingCalendar, from?: SessionDate, to?: SessionDate): { from: SessionDate; to: SessionDate } {
  const first = bars.sessions[0];
  const last = bars.sessions.at(-1);
  if (first === undefined || last === undefined) throw new ReplayInputError("the data holds no sessions");
  const start = from ?? first;
  const end = to ?? last;
  // Sessions past the data would replay as STALE_DATA and look like a green run; bad input instead.
  if (end > last) throw new ReplayInputError(`--to ${end} is after the last date in the data (${last}); end the replay at or before ${last}`);
  if (start > last) throw new ReplayInputError(`--from ${start} is after the last date in the data (${last})`);
  if (start < first) throw new ReplayInputError(`--from ${start} is before the first date in the data (${first}); start at or after ${first}`);
  if (start > end) throw new ReplayInputError(`--from ${start} is after --to ${end}`);
  if (calendar.sessionsBetween(start, end).length === 0) throw new ReplayInputError(`no ${calendar.name} session between ${start} and ${end}`);
  return { from: start, to: end };
}

/** The strategies of a run, each with a distinct id; at least one. */
export function buildStrategies(specs: readonly StrategySpec[], defaultSymbol?: string): Strategy[] {
  const strategies = specs.map((spec) => createStrategy(spec, defaultSymbol));
  if (strategies.length === 0) throw new ReplayInputError("no strategy given: add --strategy NAME (see `tradeguard strategies`)");
  checkDistinctIds(strategies.map((strategy) => strategy.id));
  const weights = allocationProblem(strategies.map((strategy) => ({ id: strategy.id, weight: strategy.allocation?.weight })));
  if (weights) throw new ReplayInputError(weights);
  return strategies;
}

function checkDistinctIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ReplayInputError(`two strategies share the id '${id}': give one an id, e.g. --strategy buy_and_hold:symbol=AAA:id=bh_aaa`);
    seen.add(id);
  }
}

/** Continues the store given; otherwise starts clean: a fresh store and no artifacts, mails or report of an earlier run. */
function openFreshOrExisting(options: ReplayJobOptions, clock: SimulatedClock): Store {
  // Owner-only: the folder holds the store (orders, positions, configuration).
  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  if (options.dbPath) return openStore(options.dbPath, clock);
  const path = join(options.outDir, "tradeguard.db");
  // A report of an earlier run would otherwise sit beside this run's files (after `--no-report`, for ever).
  const reportFiles = ["report.html", "report.md", "charts"].map((name) => join(options.outDir, name));
  for (const leftover of [path, `${path}-wal`, `${path}-shm`, join(options.outDir, "artifacts"), join(options.outDir, "outbox"), ...reportFiles]) {
    rmSync(leftover, { recursive: true, force: true });
  }
  return openStore(path, clock);
}
