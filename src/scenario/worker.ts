import { parentPort } from "node:worker_threads";
import { runScenario } from "./runner.js";
import type { ScenarioJob } from "./pool.js";

/** Runs the scenarios the pool sends, one at a time, and answers each with its result. */
parentPort?.on("message", async (job: ScenarioJob & { id: number }) => {
  const result = await runScenario(job.scenario, job);
  parentPort?.postMessage({ id: job.id, result });
});
