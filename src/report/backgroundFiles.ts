import { Worker } from "node:worker_threads";

/**
 * The worker's whole program (plain CommonJS, so it runs the same under tsx and from dist/): writes the files of
 * each message in order, and answers a flush with the first failure since the last one.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { writeFileSync } = require("node:fs");
let failure = null;
parentPort.on("message", (message) => {
  for (const [path, text] of message.files) {
    try {
      writeFileSync(path, text);
    } catch (error) {
      failure = failure ?? path + ": " + error.message;
    }
  }
  if (message.flush === undefined) return;
  parentPort.postMessage({ flush: message.flush, failure });
  failure = null;
});
`;

/** Files sent to the worker per message: a message costs far more than one more file in it. */
const FILES_PER_MESSAGE = 64;

/**
 * Writes files on a worker thread, so a replay's many small artifact files (creating a file costs a few hundred
 * microseconds of system time) do not hold up the sessions; `flush` resolves once all sent so far are written.
 */
export class BackgroundFiles {
  private worker: Worker | undefined;
  private flushes = 0;
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private queued: [path: string, text: string][] = [];

  write(path: string, text: string): void {
    this.queued.push([path, text]);
    if (this.queued.length >= FILES_PER_MESSAGE) this.started().postMessage({ files: this.take() });
  }

  /** Waits for every write made so far; rejects with the first that failed. */
  flush(): Promise<void> {
    if (this.worker === undefined && this.queued.length === 0) return Promise.resolve();
    const worker = this.started();
    const id = ++this.flushes;
    // Kept alive only while a flush waits, so an idle writer never holds the process open.
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ files: this.take(), flush: id });
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

  private take(): [string, string][] {
    const files = this.queued;
    this.queued = [];
    return files;
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
