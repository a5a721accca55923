import { Worker } from "node:worker_threads";

/**
 * The worker's whole program (plain CommonJS, so it runs the same under tsx and from dist/): writes each file it
 * is sent, in order, and answers a flush with the first failure since the last one.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { writeFileSync } = require("node:fs");
let failure = null;
parentPort.on("message", (message) => {
  if (message.flush !== undefined) {
    parentPort.postMessage({ flush: message.flush, failure });
    failure = null;
    return;
  }
  try {
    writeFileSync(message.path, message.text);
  } catch (error) {
    failure = failure ?? message.path + ": " + error.message;
  }
});
`;

/**
 * Writes files on a worker thread, so a replay's many small artifact files (creating a file costs a few hundred
 * microseconds of system time) do not hold up the sessions; `flush` resolves once all sent so far are written.
 */
export class BackgroundFiles {
  private worker: Worker | undefined;
  private flushes = 0;
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();

  write(path: string, text: string): void {
    this.started().postMessage({ path, text });
  }

  /** Waits for every write sent so far; rejects with the first that failed. */
  flush(): Promise<void> {
    if (this.worker === undefined) return Promise.resolve();
    const worker = this.worker;
    const id = ++this.flushes;
    // Kept alive only while a flush waits, so an idle writer never holds the process open.
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ flush: id });
    });
  }

  /** Flushes, then ends the worker. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.worker?.terminate();
      this.worker = undefined;
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on("message", ({ flush, failure }: { flush: number; failure: string | null }) => {
      const waiter = this.waiting.get(flush);
      this.waiting.delete(flush);
      if (this.waiting.size === 0) worker.unref();
      if (failure === null) waiter?.resolve();
      else waiter?.reject(new Error(`writing an artifact failed: ${failure}`));
    });
    worker.on("error", (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
    this.worker = worker;
    return worker;
  }
}
