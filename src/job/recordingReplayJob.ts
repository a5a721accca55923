import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { nyseCalendar, SimulatedClock, type TradingCalendar } from "../clock/index.js";
import { CONFIG_SPEC, isConfigKey, resolveConfig, type Config, type ConfigKeySpec } from "../config/index.js";
import { runLiveCycle } from "../engine/index.js";
import {
  cycleOutcome,
  outcomeDifference,
  Playback,
  readRecording,
  RecordingEndedError,
  type CycleOutcome,
  type CycleRecording,
  type Divergence,
  type InvocationRecording,
} from "../recorder/index.js";
import type { StrategySpec } from "../strategies/index.js";
import { openExistingStore, openStore, type Store } from "../store/index.js";
import { buildStrategies } from "./replayJob.js";
import { NoRecordingError } from "./errors.js";
import { startLiveBot, type LiveBot } from "./tradeJob.js";

/** The replay's own store inside --out, rewritten by each replay. */
export const REPLAY_DB = "replay.db";


export interface RecordingReplayOptions {
  dbPath: string;
  outDir: string;
  /** KEY=VALUE changes to the recorded config: what a changed rule would have done. */
  overrides: Record<string, string>;
  calendar?: TradingCalendar;
}

export interface RecordingReplayResult {
  processes: number;
  cycles: number;
  sessions: number;
  /** The first place the replay stopped matching the recording; null when it reproduced every cycle. */
  divergence: Divergence | null;
}

/**
 * Re-runs every recorded `trade` process offline, through the same wiring and live driver, with the broker and
 * the market data answering from the recording and the engine's clock following the recorded market clock.
 * After each cycle, what the replay wrote is compared with what the recorded cycle wrote; the first
 * difference (or the first call the recording does not have) ends the replay.
 */
export async function replayRecording(options: RecordingReplayOptions): Promise<RecordingReplayResult> {
  const recording = loadRecording(options.dbPath);
  mkdirSync(options.outDir, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(join(options.outDir, `${REPLAY_DB}${suffix}`), { force: true });
  const result: RecordingReplayResult = { processes: 0, cycles: 0, sessions: 0, divergence: null };
  for (const process of recording) {
    result.divergence = await replayProcess(process, options, result);
    if (result.divergence) break;
  }
  return result;
}

/** A store's verified flight recording; NoRecordingError (exit 2) when it has none. */
export function loadRecording(dbPath: string): InvocationRecording[] {
  const store = openExistingStore(dbPath, new SimulatedClock(0));
  try {
    const recording = readRecording(store);
    if (recording.length === 0) throw new NoRecordingError(`${dbPath} has no flight recording: give the --db of a bot traded with \`tradeguard trade\` (paper, live or DRY_RUN)`);
    return recording;
  } finally {
    store.close();
  }
}

/** One recorded process, as a restarted process would run it: a fresh clock, the replay store, its cycles in order. */
async function replayProcess(recorded: InvocationRecording, options: RecordingReplayOptions, tally: RecordingReplayResult): Promise<Divergence | null> {
  const replay = new ProcessReplay(recorded, options);
  tally.processes += 1;
  try {
    for (const cycle of recorded.cycles) {
      tally.cycles += 1;
      const step = await replay.run(cycle);
      if (step.divergence) return step.divergence;
      if (step.decided) tally.sessions += 1;
      if (step.processEnded) break;
    }
    return null;
  } finally {
    await replay.close();
  }
}

interface CycleStep {
  divergence: Divergence | null;
  decided: boolean;
  /** The recorded process stopped after this cycle: it failed, or it died inside it. */
  processEnded: boolean;
}

/** The replay of one process: the bot wired as `trade` wires it, but on the playback's ports. */
class ProcessReplay {
  private readonly clock = new SimulatedClock(0);
  private readonly store: Store;
  private readonly playback: Playback;
  private bot: LiveBot | undefined;

  constructor(
    private readonly recorded: InvocationRecording,
    private readonly options: RecordingReplayOptions,
  ) {
    this.store = openStore(join(options.outDir, REPLAY_DB), this.clock);
    this.playback = new Playback(this.mode());
  }

  async run(cycle: CycleRecording): Promise<CycleStep> {
    this.playback.beginCycle(cycle);
    const replayed = await this.outcomeOf(() => (cycle.cycle === 0 ? this.wire() : this.decide()));
    if (replayed === "recording ended") return { divergence: this.playback.divergence, decided: false, processEnded: true };
    const divergence = this.playback.divergence ?? this.playback.unmadeCall() ?? compareOutcomes(cycle, replayed);
    return { divergence, decided: replayed.kind === "decided", processEnded: replayed.kind === "failed" || cycle.outcome === null };
  }

  async close(): Promise<void> {
    if (this.bot) await this.bot.close();
    else this.store.close();
  }

  /** Cycle 0: the wiring `trade` does before its first decision (venue clock, account, run record). */
  private async wire(): Promise<CycleOutcome> {
    const specs = this.recorded.strategies as StrategySpec[];
    this.bot = await startLiveBot({
      mode: this.mode(), config: recordedConfig(this.recorded.config, this.options.overrides), strategies: buildStrategies(specs), strategySpecs: specs,
      store: this.store, clock: this.clock, runId: this.recorded.runId, outDir: this.options.outDir, calendar: this.options.calendar ?? nyseCalendar,
      broker: this.playback.broker, barSource: this.playback.barSource,
    });
    return { kind: "wiring", clock: this.clock.now() };
  }

  private async decide(): Promise<CycleOutcome> {
    if (this.bot === undefined) throw new Error("the recording has a decision cycle before its wiring");
    const result = await runLiveCycle(this.bot.deps, this.bot.engine, this.bot.driver);
    this.bot.afterDecision(result);
    return cycleOutcome(this.store, this.recorded.runId, result, this.clock.now());
  }

  /** An error the engine let through is the cycle's outcome, as it was the recorded process's. */
  private async outcomeOf(run: () => Promise<CycleOutcome>): Promise<CycleOutcome | "recording ended"> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RecordingEndedError) return "recording ended";
      return { kind: "failed", clock: this.clock.now(), error: error instanceof Error ? error.message : String(error) };
    }
  }

  private mode(): "paper" | "live" {
    return this.recorded.mode === "live" ? "live" : "paper";
  }
}

function compareOutcomes(cycle: CycleRecording, replayed: CycleOutcome): Divergence | null {
  if (cycle.outcome === null) return null;
  const difference = outcomeDifference(cycle.outcome, replayed);
  if (difference === null) return null;
  return { invocation: cycle.invocation, cycle: cycle.cycle, session: cycle.session, stage: difference.stage, field: difference.path, recorded: difference.recorded, replayed: difference.replayed };
}

/** The recorded config (secrets were masked, so they stay unset: a replay reaches no venue and no mail server) with --set on top. */
function recordedConfig(recorded: Record<string, unknown>, overrides: Record<string, string>): Config {
  const file = Object.fromEntries(
    Object.entries(recorded)
      .filter(([key]) => isConfigKey(key) && !(CONFIG_SPEC[key] as ConfigKeySpec).secret)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(",") : String(value)]),
  );
  return resolveConfig({ file, filePath: "the recorded config", cli: overrides }).config;
}
