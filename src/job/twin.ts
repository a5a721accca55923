import { DryRunBroker, SimulatedBroker, type Broker, type BrokerFault } from "../broker/index.js";
import { SimulatedClock, type SessionDate, type TradingCalendar } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { BarStore } from "../data/index.js";
import { replay, type ArtifactSink, type EngineDeps } from "../engine/index.js";
import type { Notifier } from "../notify/index.js";
import type { FinishedRun } from "../report/index.js";
import { openStore } from "../store/index.js";
import { createStrategy, type StrategySpec } from "../strategies/index.js";

/** What the twin shares with the guarded run: data (after injections), strategies, broker settings, window. */
export interface TwinOptions {
  runId: string;
  bars: BarStore;
  calendar: TradingCalendar;
  config: Config;
  strategies: readonly StrategySpec[];
  defaultSymbol?: string;
  seed: string | number;
  from: SessionDate;
  to: SessionDate;
  brokerFaults: readonly BrokerFault[];
  /** Sessions per commit, as the guarded replay's (its store is in memory; fewer checkpoints are less work). */
  commitEvery: number;
}

/** The twin writes no artifact and sends no alert: only its store's equity, orders and fills are read. */
const NO_ARTIFACTS: ArtifactSink = { write() {} };
const NO_ALERTS: Notifier = {
  send: () => Promise.resolve({ delivered: true, via: "outbox", id: "twin" }),
  close: () => Promise.resolve(),
};

/**
 * Replays the same strategies over the same bars with the drawdown stop, kill switches and data-quality
 * blocking switched off, in memory. The caller reads the result and closes its store.
 */
export async function runUnguardedTwin(options: TwinOptions): Promise<FinishedRun> {
  const { config, bars } = options;
  const clock = new SimulatedClock(options.calendar.openTime(options.from));
  const store = openStore(":memory:", clock);
  const runId = `${options.runId}-twin`;
  store.startRun({ runId, mode: "twin", config: {}, args: { from: options.from, to: options.to } });
  const simulated = new SimulatedBroker({
    bars, clock, initialCash: config.INITIAL_CAPITAL, seed: options.seed,
    slippageBps: config.SLIPPAGE_BPS, commissionPerOrder: config.COMMISSION_PER_ORDER,
    allowFractional: config.ALLOW_FRACTIONAL, faults: options.brokerFaults,
  });
  const broker: Broker = config.DRY_RUN ? new DryRunBroker(simulated, clock) : simulated;
  const deps: EngineDeps = {
    runId, account: "twin", config, calendar: options.calendar, clock, bars, broker, store, notifier: NO_ALERTS, artifacts: NO_ARTIFACTS,
    strategies: options.strategies.map((spec) => createStrategy(spec, options.defaultSymbol)),
    guards: { drawdown: false, killSwitch: false, dataQuality: false },
    artifactRetention: "all",
  };
  try {
    const result = await replay(deps, { clock, from: options.from, to: options.to, capital: config.INITIAL_CAPITAL, venue: simulated, commitEvery: options.commitEvery });
    return { store, runId, state: result.state };
  } catch (error) {
    store.close();
    throw error;
  }
}
