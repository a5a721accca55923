import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { SystemClock, type Clock, type SessionDate } from "../clock/index.js";
import { resolveConfig } from "../config/index.js";
import type { BarStore } from "../data/index.js";
import { prepareReplay, REPLAY_COMMIT_EVERY, ReplayInputError, type PreparedReplay } from "../job/index.js";
import { createStrategy } from "../strategies/index.js";
import { checkWindowInData, loadScenarioBars } from "./data.js";
import { checkExpectation, eventTrail, type ExpectationResult, type RunRecordings } from "./expectations.js";
import { checkGolden, runHashes } from "./golden.js";
import { applyInjections } from "./injections.js";
import type { Golden, Scenario } from "./schema.js";
import { ScenarioError } from "./walker.js";

/** A failed expectation with the events around its date. */
export interface ScenarioFailure extends ExpectationResult {
  trail: string[];
}

/**
 * One scenario's outcome. `invalid` is a scenario that could not run as written (exit 2); a crash of the run
 * itself is a failure with `error`. The shape is a superset of the report's ScenarioResult.
 */
export interface ScenarioRunResult {
  name: string;
  file: string;
  status: "pass" | "fail" | "invalid";
  passed: boolean;
  durationMs: number;
  runDir: string;
  expectations: ExpectationResult[];
  failures: ScenarioFailure[];
  error?: string;
  /** Hashes of this run's events.jsonl and timeline.csv (for `--update-golden`). */
  hashes?: Golden;
  /** True once the run's own report (report.html, report.md, charts) is written in `runDir` (the suite does it). */
  hasReport: boolean;
  /** The worker thread that ran it (0 = the main thread). */
  threadId: number;
}

export interface RunScenarioOptions {
  /** The scenario's own run folder; its store and artifacts are made anew there. */
  outDir: string;
  /** Compare the run with the scenario's golden hashes (default true; off while `--update-golden` rewrites them). */
  checkGolden?: boolean;
  /** Times the run for the report only; the replay itself runs on its simulated clock. */
  stopwatch?: Clock;
  /** Every broker call through the Alpaca adapter, over HTTP, to an in-process sandbox of the same venue. */
  viaSandbox?: boolean;
}

/** Replays one scenario in isolation (its own store and output folder) and checks its expectations. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioRunResult> {
  const stopwatch = options.stopwatch ?? new SystemClock();
  const started = stopwatch.now();
  const base = { name: scenario.name, file: scenario.file, runDir: options.outDir, threadId };
  const finish = (rest: Pick<ScenarioRunResult, "status" | "expectations" | "failures" | "error" | "hashes">): ScenarioRunResult => ({
    ...base, ...rest, passed: rest.status === "pass", durationMs: stopwatch.now() - started, hasReport: false,
  });
  try {
    const prepared = prepare(scenario, await loadScenarioBars(scenario), options.outDir, options.viaSandbox ?? false);
    try {
      await prepared.run(applyInjections(scenario, prepared));
      const run = recordings(prepared, options.outDir);
      const hashes = runHashes(options.outDir);
      const golden = scenario.golden && options.checkGolden !== false ? checkGolden(scenario.golden, hashes) : [];
      const expectations = [...scenario.expect.map((expectation) => checkExpectation(expectation, run)), ...golden];
      const failures = expectations.filter((result) => !result.ok).map((result) => ({ ...result, trail: trailFor(run, result.date) }));
      writeScenarioFile(options.outDir, scenario, expectations);
      return finish({ status: failures.length === 0 ? "pass" : "fail", expectations, failures, hashes });
    } finally {
      await prepared.close();
    }
  } catch (error) {
    const invalid = error instanceof ScenarioError || error instanceof ReplayInputError;
    const message = error instanceof ReplayInputError ? `${scenario.file}: ${error.message}` : (error as Error).message;
    return finish({ status: invalid ? "invalid" : "fail", expectations: [], failures: [], error: message });
  }
}

/** Builds the replay; a strategy that cannot be built is the scenario's error at `strategies[i]`. */
function prepare(scenario: Scenario, bars: BarStore, outDir: string, viaSandbox: boolean): PreparedReplay {
  checkWindowInData(scenario, bars);
  const defaultSymbol = bars.symbols.length === 1 ? bars.symbols[0] : undefined;
  scenario.strategies.forEach((spec, position) => {
    try {
      createStrategy(spec, defaultSymbol);
    } catch (error) {
      throw new ScenarioError(scenario.file, `strategies[${position}]`, (error as Error).message);
    }
  });
  const { data } = scenario;
  return prepareReplay({
    bars,
    dataLabel: { csv: data.csv?.map(({ written, symbol }) => ({ written, symbol })), synthetic: data.synthetic, warmup: data.warmup },
    strategies: scenario.strategies,
    defaultSymbol,
    from: data.from,
    to: data.to,
    config: resolveConfig({ cli: scenario.config, env: {} }).config,
    seed: scenario.seed,
    outDir,
    viaSandbox,
    commitEvery: REPLAY_COMMIT_EVERY,
  });
}

/** scenario.json next to the run's files: the scenario's report shows its name, description, injections and verdicts. */
function writeScenarioFile(outDir: string, scenario: Scenario, expectations: readonly ExpectationResult[]): void {
  const injections = scenario.injections.map(({ path: _path, ...injection }) => injection);
  const body = { name: scenario.name, file: scenario.file, description: scenario.description, injections, expectations };
  writeFileSync(join(outDir, "scenario.json"), `${JSON.stringify(body, null, 2)}\n`);
}

function recordings(prepared: PreparedReplay, outDir: string): RunRecordings {
  const { store } = prepared.deps;
  return { outDir, equity: store.listEquity(prepared.runId), events: store.listEvents(prepared.runId), orders: store.listOrders(prepared.runId) };
}

function trailFor(run: RunRecordings, date: SessionDate | undefined): string[] {
  return date === undefined ? [] : eventTrail(run, date);
}
