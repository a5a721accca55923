import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DryRunBroker, type Account, type Broker } from "../broker/index.js";
import { nyseCalendar, SimulatedClock, Stopwatch, type TradingCalendar } from "../clock/index.js";
import { redactConfig, type Config } from "../config/index.js";
import { BarStore, LiveBarFeed, type BarSource } from "../data/index.js";
import { ENGINE_STATE_KEY, runLiveCycle, runLiveLoop, SessionEngine, type EngineDeps, type EngineState, type LiveCycleResult, type LiveDriverOptions, type LoopControl } from "../engine/index.js";
import { createNotifier } from "../notify/index.js";
import { ArtifactWriter, writeRunFiles } from "../report/index.js";
import { cycleOutcome, FlightRecorder } from "../recorder/index.js";
import { lookbackOf, type Strategy, type StrategySpec } from "../strategies/index.js";
import { openStore, type Store } from "../store/index.js";
import { checkLiveGuard } from "./liveGuard.js";
import { buildStrategies } from "./replayJob.js";
import { deriveRunId } from "./runId.js";

export interface LiveTradeOptions {
  mode: "paper" | "live";
  config: Config;
  strategies: readonly StrategySpec[];
  dbPath: string;
  outDir: string;
  /** The venue (Alpaca, or the sandbox behind it); wrapped in a DryRunBroker when DRY_RUN. */
  broker: Broker;
  barSource: BarSource;
  /** TRADEGUARD_LIVE as the environment has it. */
  liveOptIn: string | undefined;
  acknowledgeState: boolean;
  calendar?: TradingCalendar;
}

/** What `trade` prints before the first order: which account, in which mode, under which state. */
export interface TradeBanner {
  mode: string;
  account: string;
  equity: number;
  cash: number;
  state: string;
  capital: number;
}

/** A paper or live bot wired to its store and venue, ready for one cycle or a loop. */
export interface PreparedTrade {
  runId: string;
  banner: TradeBanner;
  once(): Promise<LiveCycleResult>;
  loop(control: LoopControl): Promise<number>;
  close(): Promise<void>;
}

/** Sessions of bars beyond the longest look-back the live feed keeps, so warm-up checks see what a replay sees. */
const HISTORY_MARGIN_SESSIONS = 10;

/** Wires the live driver: guard (before anything is opened or read), store, venue (dry-run wrapped when DRY_RUN), flight recorder, bar feed, strategies, alerts. */
export async function prepareLiveTrade(options: LiveTradeOptions): Promise<PreparedTrade> {
  const { config, mode } = options;
  checkLiveGuard({ mode, optIn: options.liveOptIn, storedState: undefined, acknowledgeState: options.acknowledgeState });
  const strategies = buildStrategies(options.strategies);
  mkdirSync(options.outDir, { recursive: true });
  const clock = new SimulatedClock(0);
  const store = openStore(options.dbPath, clock);
  try {
    const stored = store.getSystemState<EngineState>(ENGINE_STATE_KEY);
    checkLiveGuard({ mode, optIn: options.liveOptIn, storedState: stored?.drawdown, acknowledgeState: options.acknowledgeState });
    const runId = (stored ? store.latestRun()?.runId : undefined) ?? deriveRunId({ mode, strategies: options.strategies, config: redactConfig(config) });
    const recorder = new FlightRecorder({ store, runId, mode, config, strategies: options.strategies, clock, stopwatch: new Stopwatch() });
    // The recorder sees what the engine sees: under DRY_RUN, the dry run's answers in the venue's place.
    const venue = config.DRY_RUN ? new DryRunBroker(options.broker, clock) : options.broker;
    const bot = await recordedWiring(recorder, () =>
      startLiveBot({ mode, config, strategies, strategySpecs: options.strategies, store, clock, runId, outDir: options.outDir, calendar: options.calendar ?? nyseCalendar, broker: recorder.broker(venue), barSource: recorder.barSource(options.barSource) }),
    );
    const { deps, engine, driver } = bot;
    const afterCycle = (result: LiveCycleResult) => {
      bot.afterDecision(result);
      recorder.endCycle(cycleOutcome(store, runId, result, clock.now()));
    };
    return {
      runId,
      banner: bannerOf(mode, config, bot.account, engine.currentState, bot.capital),
      async once() {
        const result = await recordedFailure(recorder, () => runLiveCycle(deps, engine, driver));
        afterCycle(result);
        return result;
      },
      loop: (control) =>
        recordedFailure(recorder, () => runLiveLoop(deps, engine, driver, { ...control, onCycle: async (result) => { afterCycle(result); await control.onCycle?.(result); } })),
      close: () => bot.close(),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Runs the wiring as the recording's cycle 0, so its broker reads (clock, account) replay before the first decision. */
async function recordedWiring(recorder: FlightRecorder, wire: () => Promise<LiveBot>): Promise<LiveBot> {
  const bot = await recordedFailure(recorder, wire);
  recorder.endCycle({ kind: "wiring", clock: bot.deps.clock.now() });
  return bot;
}

/** A cycle that throws ends the process: the recording says so before the error goes on. */
async function recordedFailure<T>(recorder: FlightRecorder, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    recorder.failCycle(error);
    throw error;
  }
}

/** What a live bot is wired from once its store, clock and ports are chosen (by `trade`, or by a replay of its recording). */
export interface LiveBotWiring {
  mode: "paper" | "live";
  config: Config;
  strategies: readonly Strategy[];
  strategySpecs: readonly StrategySpec[];
  store: Store;
  clock: SimulatedClock;
  runId: string;
  outDir: string;
  calendar: TradingCalendar;
  broker: Broker;
  barSource: BarSource;
}

/** A wired live bot: the engine and the live driver's options, ready for `runLiveCycle`. */
export interface LiveBot {
  deps: EngineDeps;
  engine: SessionEngine;
  driver: LiveDriverOptions;
  account: Account;
  capital: number;
  /** Writes the run files after a decided session. */
  afterDecision(result: LiveCycleResult): void;
  /** Marks the run finished, closes the notifier and the store. */
  close(): Promise<void>;
}

/** Reads the venue's clock and account, starts (or resumes) the run and wires engine, bar feed and alerts. */
export async function startLiveBot(wiring: LiveBotWiring): Promise<LiveBot> {
  const { mode, config, store, clock, runId, broker } = wiring;
  clock.advanceTo((await broker.getClock()).timestamp);
  const account = await broker.getAccount();
  store.startRun({ runId, mode: config.DRY_RUN ? `${mode}+dry_run` : mode, config: redactConfig(config), args: { strategies: wiring.strategySpecs } });
  const notifier = createNotifier({ smtpUrl: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, to: config.ALERT_EMAIL_TO, outboxDir: join(wiring.outDir, "outbox"), clock });
  const deps: EngineDeps = {
    runId, account: mode, config, calendar: wiring.calendar, clock, bars: new BarStore([], []), broker, store, strategies: wiring.strategies, notifier,
    artifacts: new ArtifactWriter(wiring.outDir, runId),
  };
  const capital = config.INITIAL_CAPITAL;
  const engine = new SessionEngine(store, capital);
  const history = Math.max(config.MIN_HISTORY_DAYS, lookbackOf(wiring.strategies.flatMap((strategy) => strategy.requiredIndicators))) + HISTORY_MARGIN_SESSIONS;
  const feed = new LiveBarFeed(wiring.barSource, store, wiring.calendar, history);
  const driver: LiveDriverOptions = {
    clock,
    barsThrough: (symbols, session) => feed.barsThrough(symbols, session),
    closeDelayMs: config.TRADE_CLOSE_DELAY_MINUTES * 60_000,
  };
  return {
    deps, engine, driver, account, capital,
    afterDecision(result) {
      if (result.kind === "decided") writeRunFiles(wiring.outDir, store, runId, engine.currentState, { capital, dryRun: config.DRY_RUN });
    },
    async close() {
      store.finishRun(runId, "completed", engine.lastSession);
      await notifier.close();
      store.close();
    },
  };
}

function bannerOf(mode: string, config: Config, account: Account, state: EngineState, capital: number): TradeBanner {
  return {
    mode: config.DRY_RUN ? `${mode} (DRY_RUN: no order is sent)` : mode,
    account: maskAccountId(account.id),
    equity: account.equity,
    cash: account.cash,
    state: state.drawdown.mode,
    capital,
  };
}

/** Shows only the last four characters of an account id. */
export function maskAccountId(id: string | undefined): string {
  if (!id) return "(no id)";
  return `${"*".repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;
}
