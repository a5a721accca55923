import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { SystemClock, type Clock } from "../clock/index.js";
import { writeGolden } from "./golden.js";
import { loadScenario } from "./load.js";
import { expandScenarioPaths, shardOf, type Shard } from "./paths.js";
import { runInThread, runInWorkers, type ScenarioJob } from "./pool.js";
import { formatResult, formatTotals, junitXml, jsonReport } from "./reports.js";
import type { ScenarioRunResult } from "./runner.js";
import { ScenarioError } from "./walker.js";

/** The shipped suite, run when no path is given. */
export const DEFAULT_SCENARIO_PATHS = ["scenarios"];
export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_INVALID = 2;

export interface SuiteOptions {
  /** Scenario files, folders or globs; the shipped suite when empty. */
  paths: readonly string[];
  cwd: string;
  /** Each scenario's run folder is `<outDir>/<scenario name>/`. */
  outDir: string;
  /** Worker threads (default: the machine's cores); 1 runs in this thread. */
  jobs?: number;
  shard?: Shard;
  /** Rewrite each passing scenario's golden block with this run's hashes. */
  updateGolden?: boolean;
  /** Route every broker call through the Alpaca adapter, over HTTP, to an in-process sandbox. */
  viaSandbox?: boolean;
  /** Write each scenario's report as it finishes (default true; `--no-report` turns it off). */
  report?: boolean;
  junit?: string;
  json?: string;
  /** Where progress lines go (default: nowhere). */
  write?: (text: string) => void;
  stopwatch?: Clock;
}

export interface SuiteResult {
  results: ScenarioRunResult[];
  /** 0 all passed, 1 any failed, 2 any scenario invalid. */
  exitCode: number;
  /** Wall-clock time of the whole suite, the figure its last line prints. */
  wallMs: number;
}

/**
 * Runs scenarios in isolation and in parallel, prints a line per scenario as it finishes, writes JUnit/JSON
 * reports and golden blocks. Throws ScenarioError when a path or glob matches nothing.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const stopwatch = options.stopwatch ?? new SystemClock();
  const started = stopwatch.now();
  const write = options.write ?? (() => undefined);
  const all = expandScenarioPaths(options.paths.length > 0 ? options.paths : DEFAULT_SCENARIO_PATHS, options.cwd);
  const files = options.shard ? shardOf(all, options.shard) : all;
  const { jobs, invalid } = loadJobs(files, options);
  invalid.forEach((result) => write(formatResult(result)));
  const onResult = (result: ScenarioRunResult) => write(formatResult(result));
  const threads = options.jobs ?? availableParallelism();
  const ran = threads <= 1 ? await runInThread(jobs, onResult) : await runInWorkers(jobs, threads, onResult);
  if (options.updateGolden) updateGoldens(ran, options.cwd, write);
  const results = [...invalid, ...ran].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  writeReport(options.junit, junitXml(results));
  writeReport(options.json, jsonReport(results));
  const wallMs = stopwatch.now() - started;
  write(formatTotals(results, wallMs));
  return { results, exitCode: exitCodeOf(results), wallMs };
}

/** Loads every file; an invalid one (or a second scenario of the same name) becomes an `invalid` result. */
function loadJobs(files: readonly string[], options: SuiteOptions): { jobs: ScenarioJob[]; invalid: ScenarioRunResult[] } {
  const jobs: ScenarioJob[] = [];
  const invalid: ScenarioRunResult[] = [];
  for (const file of files) {
    try {
      const scenario = loadScenario(resolve(options.cwd, file), file);
      const twin = jobs.find((job) => job.scenario.name === scenario.name);
      if (twin) throw new ScenarioError(file, "name", `${scenario.name} is also the name of ${twin.scenario.file}; names must be unique (they name the run folders)`);
      jobs.push({
        scenario, outDir: resolve(options.cwd, options.outDir, scenario.name), checkGolden: !options.updateGolden,
        viaSandbox: options.viaSandbox ?? false, report: options.report ?? true,
      });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      invalid.push({
        name: file, file, status: "invalid", passed: false, durationMs: 0, runDir: "", expectations: [], failures: [],
        error: error.message, threadId: 0, hasReport: false,
      });
    }
  }
  return { jobs, invalid };
}

function updateGoldens(results: readonly ScenarioRunResult[], cwd: string, write: (text: string) => void): void {
  for (const result of results) {
    if (!result.passed || !result.hashes) continue;
    writeGolden(resolve(cwd, result.file), result.hashes);
    write(`golden: updated ${result.file}\n`);
  }
}

function writeReport(path: string | undefined, content: string): void {
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function exitCodeOf(results: readonly ScenarioRunResult[]): number {
  if (results.some((result) => result.status === "invalid")) return EXIT_INVALID;
  return results.every((result) => result.passed) ? EXIT_PASS : EXIT_FAIL;
}
