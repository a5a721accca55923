import type { Argv } from "yargs";
import { nyseCalendar, type SessionDate } from "../clock/index.js";
import type { Config } from "../config/index.js";
import { ENGINE_STATE_KEY, type EngineState, type LiveCycleResult, type LoopControl } from "../engine/index.js";
import { clearTradeProcess, markTradeProcess, parseStrategyArgument, prepareLiveTrade, prepareReplay, type PreparedTrade } from "../job/index.js";
import { hardCaps } from "../safety/index.js";
import { openStore, type Store } from "../store/index.js";
import { SimulatedClock, SystemClock } from "../clock/index.js";
import { configFromArgs, dateOption, loadData } from "./runCommand.js";
import { EXIT_HALTED, EXIT_OK, UsageError } from "./errors.js";
import { openVenue } from "./venue.js";

export interface TradeArgs {
  broker?: string;
  once: boolean;
  loop: boolean;
  db: string;
  out: string;
  strategy: string[];
  data?: string[];
  symbol?: string;
  from?: string;
  capital?: string;
  seed: string;
  set: string[];
  config?: string;
  maxSessions?: number;
  acknowledgeState: boolean;
  failOnHalt: boolean;
  quiet: boolean;
}

export function tradeOptions(yargs: Argv): Argv<TradeArgs> {
  return yargs
    .option("broker", { type: "string", choices: ["simulated", "paper", "live"], describe: "Broker to trade through (overrides BROKER_MODE)" })
    .option("once", { type: "boolean", default: false, describe: "Decide the latest completed session, then exit (for cron or a CI schedule)" })
    .option("loop", { type: "boolean", default: false, describe: "Decide each session as its close passes; SIGINT/SIGTERM stop between sessions" })
    .option("db", { type: "string", demandOption: true, describe: "The bot's SQLite state file (created when missing)" })
    .option("out", { type: "string", demandOption: true, describe: "Folder for run files, artifacts and alert mails" })
    .option("strategy", { type: "array", string: true, default: ["buy_and_hold"], describe: "NAME[:key=value…], repeatable; see `tradeguard strategies`" })
    .option("data", { type: "array", string: true, describe: "--broker simulated: CSV file(s) of daily bars" })
    .option("symbol", { type: "string", describe: "--broker simulated: symbol name for a CSV without a symbol column" })
    .option("from", { type: "string", describe: "--broker simulated: first session of a new store (default: the data's first)" })
    .option("capital", { type: "string", describe: "The bot's starting capital in dollars (INITIAL_CAPITAL)" })
    .option("seed", { type: "string", default: "42", describe: "--broker simulated: seed of the venue's random draws" })
    .option("set", { type: "array", string: true, default: [], describe: "KEY=VALUE configuration override, repeatable" })
    .option("config", { type: "string", describe: "YAML/JSON file of KEY: value configuration" })
    .option("max-sessions", { type: "number", describe: "--loop: stop after this many decided sessions" })
    .option("acknowledge-state", { type: "boolean", default: false, describe: "Trade although the store is HALTED or PANIC from an earlier run" })
    .option("fail-on-halt", { type: "boolean", default: false, describe: "--once: exit 3, after everything is written, when the session ends HALTED or PANIC or its health check failed" })
    .option("quiet", { type: "boolean", default: false, describe: "Print nothing but errors" }) as unknown as Argv<TradeArgs>;
}

/** `tradeguard trade`: the same stage list as a replay, one session at a time, on the simulated broker or Alpaca; resolves to the exit code. */
export async function tradeCommand(args: TradeArgs): Promise<number> {
  if (args.once === args.loop) throw new UsageError("trade: give exactly one of --once or --loop");
  if (args.failOnHalt && !args.once) throw new UsageError("--fail-on-halt goes with --once (a scheduled job's one session)");
  if (args.maxSessions !== undefined && !(Number.isInteger(args.maxSessions) && args.maxSessions >= 1)) {
    throw new UsageError(`--max-sessions: expected a whole number >= 1, got ${args.maxSessions}`);
  }
  const config = configFromArgs({ ...args, set: args.broker ? [...args.set, `BROKER_MODE=${args.broker}`] : args.set });
  const say = (line: string) => (args.quiet ? undefined : process.stdout.write(`${line}\n`));
  const mode = config.BROKER_MODE;
  if (mode === "simulated") await tradeSimulated(args, config, say);
  else await tradeLive(args, config, mode as "paper" | "live", say);
  return args.failOnHalt ? haltExitCode(args.db) : EXIT_OK;
}

/**
 * `--fail-on-halt`: read once the run's files, store and mails are all written, so a scheduled job fails visibly
 * (and still uploads everything) when the bot stopped itself.
 */
function haltExitCode(db: string): number {
  const state = withStore(db, (store) => store.getSystemState<EngineState>(ENGINE_STATE_KEY));
  const mode = state?.drawdown.mode;
  const check = state?.lastHealthCheck;
  const failedCheck = check !== undefined && check.session === state?.lastSession && !check.passed;
  if (mode !== "HALTED" && mode !== "PANIC" && !failedCheck) return EXIT_OK;
  const failed = failedCheck ? `; health check failed: ${check.checks.filter((item) => !item.passed).map((item) => item.code).join(", ")}` : "";
  process.stderr.write(`tradeguard: ${state?.lastSession} ended ${mode}${failed}; exit ${EXIT_HALTED} (--fail-on-halt); see tradeguard status --db ${db}\n`);
  return EXIT_HALTED;
}

/** Marks this process as the store's trader (for `tradeguard status`) while `work` runs. */
async function whileMarkedRunning<T>(db: string, work: () => Promise<T>): Promise<T> {
  // The wall clock stamps when the process started, for a person reading the status.
  withStore(db, (store) => markTradeProcess(store, new SystemClock()));
  try {
    return await work();
  } finally {
    withStore(db, clearTradeProcess);
  }
}

function withStore<T>(db: string, use: (store: Store) => T): T {
  const store = openStore(db, new SimulatedClock(0));
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/** A replay one step at a time: each call decides the session(s) after the store's last one. */
async function tradeSimulated(args: TradeArgs, config: Config, say: (line: string) => void): Promise<void> {
  const bars = await loadData(args, undefined);
  const last = lastDecidedSession(args.db);
  const start = last === null ? (dateOption(args.from, "--from") ?? bars.sessions[0]) : nyseCalendar.nextSession(last);
  const remaining = bars.sessions.filter((date) => date >= start);
  const count = args.once ? 1 : (args.maxSessions ?? remaining.length);
  const sessions = remaining.slice(0, count);
  if (sessions.length === 0) {
    say(`nothing to decide: ${last} is decided and the data ends at ${bars.sessions.at(-1)}`);
    return;
  }
  const job = prepareReplay({
    bars, dataLabel: args.data, strategies: args.strategy.map(parseStrategyArgument),
    defaultSymbol: args.symbol ?? (bars.symbols.length === 1 ? bars.symbols[0] : undefined),
    from: sessions[0], to: sessions.at(-1), config, seed: args.seed, outDir: args.out, dbPath: args.db,
  });
  const stop = stopOnSignal();
  try {
    await whileMarkedRunning(args.db, () =>
      job.run({
        afterSession: (date, _index, ctx) => say(decidedLine(date, ctx.equity, ctx.state.drawdown.mode, ctx.ordersSubmitted.length)),
        stopAfter: () => stop.requested(),
      }),
    );
  } finally {
    stop.dispose();
    await job.close();
  }
}

async function tradeLive(args: TradeArgs, config: Config, mode: "paper" | "live", say: (line: string) => void): Promise<void> {
  const venue = openVenue(mode, config, process.env);
  const trade = await prepareLiveTrade({
    mode, config, strategies: args.strategy.map(parseStrategyArgument), dbPath: args.db, outDir: args.out,
    broker: venue.broker, barSource: venue.barSource, liveOptIn: process.env.TRADEGUARD_LIVE, acknowledgeState: args.acknowledgeState,
  });
  const stop = stopOnSignal();
  try {
    printBanner(trade, config, mode, say);
    if (args.once) {
      report(await whileMarkedRunning(args.db, () => trade.once()), say);
      return;
    }
    const control: LoopControl = {
      maxSessions: args.maxSessions, pollMs: config.TRADE_POLL_SECONDS * 1000,
      sleep: (ms) => stop.sleep(ms), stopRequested: () => stop.requested(), onCycle: (result) => report(result, say),
    };
    await whileMarkedRunning(args.db, () => trade.loop(control));
  } finally {
    stop.dispose();
    await trade.close();
  }
}

function printBanner(trade: PreparedTrade, config: Config, mode: string, say: (line: string) => void): void {
  const { banner } = trade;
  say(`trade ${banner.mode}: account ${banner.account}, equity $${banner.equity.toFixed(2)}, cash $${banner.cash.toFixed(2)}, bot capital $${banner.capital.toFixed(2)}, state ${banner.state}`);
  if (mode === "live" && banner.equity < banner.capital) say(`warning: the account's equity is below the bot's capital (INITIAL_CAPITAL=${config.INITIAL_CAPITAL})`);
  for (const cap of hardCaps(config)) {
    say(`cap ${cap.key}=${cap.value} (${cap.limits})${cap.off ? " is OFF" : ""}`);
    if (cap.off && mode === "live") say(`warning: ${cap.key} is off in live mode; set it with --set ${cap.key}=…`);
  }
}

function report(result: LiveCycleResult, say: (line: string) => void): void {
  if (result.kind === "decided") {
    say(decidedLine(result.session, result.ctx.equity, result.ctx.state.drawdown.mode, result.ctx.ordersSubmitted.length));
    return;
  }
  const next = new Date(result.nextDecision).toISOString();
  say(`${result.lastDecided} is already decided; the next session can be decided at ${next} (market clock now ${new Date(result.now).toISOString()})`);
}

function decidedLine(date: SessionDate, equity: number, state: string, orders: number): string {
  return `${date} decided: equity $${equity.toFixed(2)}, state ${state}, ${orders} order(s) submitted`;
}

function lastDecidedSession(db: string): SessionDate | null {
  return withStore(db, (store) => store.getSystemState<EngineState>(ENGINE_STATE_KEY)?.lastSession ?? null);
}

/** SIGINT/SIGTERM ask the loop to stop once the current session's transaction is done; a sleep ends at once. */
function stopOnSignal(): { requested(): boolean; sleep(ms: number): Promise<void>; dispose(): void } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stopped = true;
    wake?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    requested: () => stopped,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
