import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DryRunBroker, type Account, type Broker } from "../broker/index.js";
import { nyseCalendar, SimulatedClock, type TradingCalendar } from "../clock/index.js";
import { redactConfig, type Config } from "../config/index.js";
import { BarStore, LiveBarFeed, type BarSource } from "../data/index.js";
import { ENGINE_STATE_KEY, runLiveCycle, runLiveLoop, SessionEngine, type EngineDeps, type EngineState, type LiveCycleResult, type LiveDriverOptions, type LoopControl } from "../engine/index.js";
import { createNotifier } from "../notify/index.js";
import { ArtifactWriter, writeRunFiles } from "../report/index.js";
import { lookbackOf, type StrategySpec } from "../strategies/index.js";
import { openStore } from "../store/index.js";
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

/** Wires the live driver: guard (before anything is opened or read), store, venue (dry-run wrapped when DRY_RUN), bar feed, strategies, alerts. */
export async function prepareLiveTrade(options: LiveTradeOptions): Promise<PreparedTrade> {
  const { config, mode } = options;
  const calendar = options.calendar ?? nyseCalendar;
  checkLiveGuard({ mode, optIn: options.liveOptIn, storedState: undefined, acknowledgeState: options.acknowledgeState });
  const strategies = buildStrategies(options.strategies);
  mkdirSync(options.outDir, { recursive: true });
  const clock = new SimulatedClock(0);
  const store = openStore(options.dbPath, clock);
  try {
    const stored = store.getSystemState<EngineState>(ENGINE_STATE_KEY);
    checkLiveGuard({ mode, optIn: options.liveOptIn, storedState: stored?.drawdown, acknowledgeState: options.acknowledgeState });
    clock.advanceTo((await options.broker.getClock()).timestamp);
    const account = await options.broker.getAccount();
    const runId = (stored ? store.latestRun()?.runId : undefined) ?? deriveRunId({ mode, strategies: options.strategies, config: redactConfig(config) });
    store.startRun({ runId, mode: config.DRY_RUN ? `${mode}+dry_run` : mode, config: redactConfig(config), args: { strategies: options.strategies } });
    const broker = config.DRY_RUN ? new DryRunBroker(options.broker, clock) : options.broker;
    const notifier = createNotifier({ smtpUrl: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, to: config.ALERT_EMAIL_TO, outboxDir: join(options.outDir, "outbox"), clock });
    const deps: EngineDeps = {
      runId, account: mode, config, calendar, clock, bars: new BarStore([], []), broker, store, strategies, notifier,
      artifacts: new ArtifactWriter(options.outDir, runId),
    };
    const capital = config.INITIAL_CAPITAL;
    const engine = new SessionEngine(store, capital);
    const history = Math.max(config.MIN_HISTORY_DAYS, lookbackOf(strategies.flatMap((strategy) => strategy.requiredIndicators))) + HISTORY_MARGIN_SESSIONS;
    const feed = new LiveBarFeed(options.barSource, store, calendar, history);
    const driver: LiveDriverOptions = {
      clock,
      barsThrough: (symbols, session) => feed.barsThrough(symbols, session),
      closeDelayMs: config.TRADE_CLOSE_DELAY_MINUTES * 60_000,
    };
    const afterDecision = (result: LiveCycleResult) => {
      if (result.kind === "decided") writeRunFiles(options.outDir, store, runId, engine.currentState, { capital, dryRun: config.DRY_RUN });
    };
    return {
      runId,
      banner: bannerOf(mode, config, account, engine.currentState, capital),
      async once() {
        const result = await runLiveCycle(deps, engine, driver);
        afterDecision(result);
        return result;
      },
      loop: (control) => runLiveLoop(deps, engine, driver, { ...control, onCycle: async (result) => { afterDecision(result); await control.onCycle?.(result); } }),
      async close() {
        store.finishRun(runId, "completed", engine.lastSession);
        await notifier.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
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
