import { nyseCalendar } from "../../../src/clock/index.js";
import type { SessionDate } from "../../../src/clock/types.js";
import { generateSyntheticBars } from "../../../src/data/index.js";
import type { SessionContext } from "../../../src/engine/index.js";
import { initialEngineState } from "../../../src/engine/index.js";
import { newSessionContext } from "../../../src/engine/session.js";
import { prepareReplay, type PreparedReplay } from "../../../src/job/index.js";
import { Ledger } from "../../../src/portfolio/index.js";
import { configWith, tempDir } from "../fixtures.js";

/** The first session of the stage tests; the bars start a year earlier, so every look-back has its history. */
export const SESSION: SessionDate = "2021-03-01";
export const CAPITAL = 100_000;

export interface StageRig {
  job: PreparedReplay;
  /** A fresh session context on `date` (default SESSION), with a new book and state unless given. */
  context(options?: { date?: SessionDate; ledger?: Ledger }): SessionContext;
  close(): Promise<void>;
}

/**
 * A replay wired as the engine runs it (store, simulated venue, artifacts, notifier) over flat synthetic prices of
 * AAA and BBB, from which a test builds one session's context and calls a stage by hand.
 */
export function stageRig(
  options: { overrides?: Record<string, string>; strategies?: { name: string; id?: string; params?: Record<string, unknown> }[]; symbols?: string[] } = {},
): StageRig {
  const symbols = options.symbols ?? ["AAA", "BBB"];
  const bars = generateSyntheticBars({ symbols, from: "2020-01-02", to: "2021-06-30", calendar: nyseCalendar, seed: "stages", volatility: 0, drift: 0, jumpIntensity: 0 });
  const job = prepareReplay({
    bars, dataLabel: "stage-rig", seed: 1, outDir: tempDir("stage"), from: SESSION, to: "2021-06-30", twin: false,
    strategies: options.strategies ?? [
      { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA" } },
      { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } },
    ],
    config: configWith({ INITIAL_CAPITAL: String(CAPITAL), ...options.overrides }),
  });
  return {
    job,
    context({ date = SESSION, ledger = new Ledger(CAPITAL) } = {}) {
      return newSessionContext(job.deps, initialEngineState(CAPITAL), ledger, date, bars.indexOf(date));
    },
    close: () => job.close(),
  };
}

/** The events a stage queued, as type, reason and detail. */
export function eventsOf(ctx: SessionContext): { type: string; reason: string; detail: string }[] {
  return ctx.events.map(({ type, reason, detail }) => ({ type, reason, detail }));
}

