import { parentPort } from "node:worker_threads";
import { adoptParsedCsvs } from "./data.js";
import { runJob, type WorkerMessage } from "./pool.js";

/** Takes the CSV sources the pool parsed, and runs the scenarios it sends, one at a time, answering each with its result. */
parentPort?.on("message", async (message: WorkerMessage) => {
  if ("csvs" in message) return adoptParsedCsvs(message.csvs);
  const result = await runJob(message);
  parentPort?.postMessage({ id: message.id, result });
});
