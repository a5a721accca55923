import { Worker } from "node:worker_threads";
import { runScenario, type ScenarioRunResult } from "./runner.js";
import type { Scenario } from "./schema.js";

/** One scenario to run and where its run folder goes. */
export interface ScenarioJob {
  scenario: Scenario;
  outDir: string;
  checkGolden: boolean;
  /** Every broker call through the Alpaca adapter and an in-process sandbox (`--via-sandbox`). */
  viaSandbox: boolean;
}

type OnResult = (result: ScenarioRunResult) => void;

/** Runs the jobs in this thread, one after another (`--jobs 1`). */
export async function runInThread(jobs: readonly ScenarioJob[], onResult: OnResult): Promise<ScenarioRunResult[]> {
  const results: ScenarioRunResult[] = [];
  for (const job of jobs) {
    const result = await runScenario(job.scenario, job);
    onResult(result);
    results.push(result);
  }
  return results;
}

/** Runs the jobs on `threads` worker threads, each taking the next job when it is free; results in job order. */
export async function runInWorkers(jobs: readonly ScenarioJob[], threads: number, onResult: OnResult): Promise<ScenarioRunResult[]> {
  const results: ScenarioRunResult[] = new Array(jobs.length);
  let next = 0;
  const drain = async (): Promise<void> => {
    let worker = startWorker();
    try {
      while (next < jobs.length) {
        const id = next++;
        const answer = await ask(worker, id, jobs[id]);
        results[id] = answer.result;
        onResult(answer.result);
        if (answer.crashed) {
          await worker.terminate();
          worker = startWorker();
        }
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, drain));
  return results;
}

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
    worker.postMessage({ id, ...job });
  });
}

function crashResult(job: ScenarioJob, reason: unknown, threadId: number): ScenarioRunResult {
  const why = reason instanceof Error ? reason.message : `exited with code ${String(reason)}`;
  return {
    name: job.scenario.name, file: job.scenario.file, status: "fail", passed: false, durationMs: 0, runDir: job.outDir,
    expectations: [], failures: [], error: `the worker thread running it died: ${why}`, threadId, hasReport: false,
  };
}
