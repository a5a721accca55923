import { Worker } from "node:worker_threads";

/**
 * The worker's whole program (plain CommonJS, so it runs the same under tsx and from dist/): writes the files of
 * each message in order, and answers a writer's flush with that writer's first failure since its last flush.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { writeFileSync } = require("node:fs");
const failures = new Map();
parentPort.on("message", (message) => {
  for (const [path, text] of message.files) {
    try {
      writeFileSync(path, text);
    } catch (error) {
      if (!failures.has(message.writer)) failures.set(message.writer, path + ": " + error.message);
    }
  }
  if (message.flush === undefined) return;
  parentPort.postMessage({ flush: message.flush, failure: failures.get(message.writer) ?? null });
  failures.delete(message.writer);
});
`;

/** Files sent to the worker per message: a message costs far more than one more file in it. */
const FILES_PER_MESSAGE = 64;

interface FileMessage {
  writer: number;
  files: [path: string, text: string][];
  flush?: number;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The one file-writing worker of this thread, shared by every BackgroundFiles: starting a worker costs tens of
 * milliseconds, as much as a short replay's whole run. It is unreferenced while no flush waits, so it never holds
 * the process open.
 */
class WriterThread {
  private static current: WriterThread | undefined;
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private flushes = 0;
  private readonly waiting = new Map<number, Waiter>();
  /** Why the worker died, if it did: files sent to it may never have been written. */
  stoppedBy: Error | undefined;

  static get(): WriterThread {
    WriterThread.current ??= new WriterThread();
    return WriterThread.current;
  }

  private constructor() {
    this.worker.unref();
    this.worker.on("message", ({ flush, failure }: { flush: number; failure: string | null }) => {
      const waiter = this.waiting.get(flush);
      this.waiting.delete(flush);
      if (this.waiting.size === 0) this.worker.unref();
      if (failure === null) waiter?.resolve();
      else waiter?.reject(new Error(`writing an artifact failed: ${failure}`));
    });
    // A dead worker fails every waiting flush; the next write starts a fresh one.
    this.worker.on("error", (error) => {
      this.stoppedBy = new Error(`the artifact writer thread stopped: ${error.message}`);
      if (WriterThread.current === this) WriterThread.current = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  send(message: FileMessage): void {
    this.worker.postMessage(message);
  }

  flush(writer: number, files: FileMessage["files"]): Promise<void> {
    const id = ++this.flushes;
    this.worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ writer, files, flush: id });
    });
  }
}

let writers = 0;

/**
 * Writes files on a worker thread, so a replay's many small artifact files (creating a file costs a few hundred
 * microseconds of system time) do not hold up the sessions; `flush` resolves once all sent so far are written.
 */
export class BackgroundFiles {
  private readonly id = ++writers;
  /** Where files went since the last flush, whose failures that flush must still report. */
  private sentTo: WriterThread | undefined;
  private queued: [path: string, text: string][] = [];

  write(path: string, text: string): void {
    this.queued.push([path, text]);
    if (this.queued.length < FILES_PER_MESSAGE) return;
    const thread = WriterThread.get();
    // A thread that died keeps its place, so the next flush reports the files it may have lost.
    if (this.sentTo?.stoppedBy === undefined) this.sentTo = thread;
    thread.send({ writer: this.id, files: this.take() });
  }

  /** Waits for every write made so far; rejects with the first that failed. */
  flush(): Promise<void> {
    const sentTo = this.sentTo;
    this.sentTo = undefined;
    if (sentTo?.stoppedBy) {
      this.queued = [];
      return Promise.reject(sentTo.stoppedBy);
    }
    if (sentTo === undefined && this.queued.length === 0) return Promise.resolve();
    return WriterThread.get().flush(this.id, this.take());
  }

  /** Flushes; the shared worker stays for the thread's next writer. */
  close(): Promise<void> {
    return this.flush();
  }

  private take(): [string, string][] {
    const files = this.queued;
    this.queued = [];
    return files;
  }
}
