import { Worker } from "node:worker_threads";
import { holdChartLibrary, writeRunReport } from "../report/index.js";
import { csvKeysOf, parseScenarioCsvs, type ParsedCsv } from "./data.js";
import { runScenario, type ScenarioRunResult } from "./runner.js";
import type { Scenario } from "./schema.js";

/** One scenario to run and where its run folder goes. */
export interface ScenarioJob {
  scenario: Scenario;
  outDir: string;
  checkGolden: boolean;
  /** Every broker call through the Alpaca adapter and an in-process sandbox (`--via-sandbox`). */
  viaSandbox: boolean;
  /** Write the run's report (report.html, report.md, charts) once it finished, where it ran. */
  report: boolean;
}

type OnResult = (result: ScenarioRunResult) => void;

/**
 * Runs one scenario, then draws its report when asked, in the thread that ran it: reports are drawn on every
 * core, beside the next scenarios. The duration is the scenario's alone.
 */
export async function runJob(job: ScenarioJob): Promise<ScenarioRunResult> {
  const result = await runScenario(job.scenario, job);
  // Hashes are taken from the run's files: without them the run never finished and there is nothing to report.
  if (!job.report || result.hashes === undefined) return result;
  try {
    await writeRunReport(result.runDir);
    return { ...result, hasReport: true };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ...result, status: "fail", passed: false, error: `its report could not be written in ${result.runDir}: ${why}` };
  }
}

/** Runs the jobs in this thread, one after another (`--jobs 1`). */
export async function runInThread(jobs: readonly ScenarioJob[], onResult: OnResult): Promise<ScenarioRunResult[]> {
  const results: ScenarioRunResult[] = [];
  for (const job of jobs) {
    const result = await runJob(job);
    onResult(result);
    results.push(result);
  }
  return results;
}

/** Runs the jobs on `threads` worker threads, each taking the next job when it is free; results in job order. */
export async function runInWorkers(jobs: readonly ScenarioJob[], threads: number, onResult: OnResult): Promise<ScenarioRunResult[]> {
  const results: ScenarioRunResult[] = new Array(jobs.length);
  if (jobs.some((job) => job.report)) holdChartLibrary();
  let parsing: Promise<Map<string, ParsedCsv>> | undefined;
  const csvs = () => (parsing ??= parseScenarioCsvs(jobs.map((job) => job.scenario)).then((parsed) => new Map(parsed.map((csv) => [csv.key, csv]))));
  let next = 0;
  const drain = async (): Promise<void> => {
    let worker = startWorker();
    let held = new Set<string>();
    try {
      while (next < jobs.length) {
        const id = next++;
        const missing = csvKeysOf(jobs[id].scenario).filter((key) => !held.has(key));
        if (missing.length > 0) {
          const parsed = await csvs();
          worker.postMessage({ csvs: missing.flatMap((key) => parsed.get(key) ?? []) } satisfies WorkerMessage);
          missing.forEach((key) => held.add(key));
        }
        const answer = await ask(worker, id, jobs[id]);
        results[id] = answer.result;
        onResult(answer.result);
        if (answer.crashed) {
          await worker.terminate();
          worker = startWorker();
          held = new Set();
        }
      }
    } finally {
      await worker.terminate();
    }
  };
  const draining = Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, drain));
  // Parsed here, once, while the workers start: loading the CSV parser costs a worker about a second.
  await csvs();
  await draining;
  return results;
}

/** What the pool posts to a worker: CSV sources parsed here, or the next job. */
export type WorkerMessage = { csvs: ParsedCsv[] } | (ScenarioJob & { id: number });

/** True when this module runs as the compiled JavaScript of dist/ rather than TypeScript under tsx. */
const COMPILED = import.meta.url.endsWith(".js");

function startWorker(): Worker {
  // Compiled JavaScript runs as it is; TypeScript needs tsx registered in the worker first.
  if (COMPILED) return new Worker(new URL("./worker.js", import.meta.url));
  return new Worker(new URL("./workerBoot.mjs", import.meta.url), { workerData: { entry: new URL("./worker.ts", import.meta.url).href } });
}

/** Sends one job and waits for its result; a worker that dies answers with a failed result instead. */
function ask(worker: Worker, id: number, job: ScenarioJob): Promise<{ result: ScenarioRunResult; crashed: boolean }> {
  const threadId = worker.threadId;
  return new Promise((resolve) => {
    const done = (result: ScenarioRunResult, crashed: boolean) => {
      worker.off("message", onMessage).off("error", onCrash).off("exit", onCrash);
      resolve({ result, crashed });
    };
    const onMessage = (message: { id: number; result: ScenarioRunResult }) => {
      if (message.id === id) done(message.result, false);
    };
    const onCrash = (reason: unknown) => done(crashResult(job, reason, threadId), true);
    worker.on("message", onMessage).on("error", onCrash).on("exit", onCrash);
    worker.postMessage({ id, ...job } satisfies WorkerMessage);
  });
}

function crashResult(job: ScenarioJob, reason: unknown, threadId: number): ScenarioRunResult {
  const why = reason instanceof Error ? reason.message : `exited with code ${String(reason)}`;
  return {
    name: job.scenario.name, file: job.scenario.file, status: "fail", passed: false, durationMs: 0, runDir: job.outDir,
    expectations: [], failures: [], error: `the worker thread running it died: ${why}`, threadId, hasReport: false,
  };
}
