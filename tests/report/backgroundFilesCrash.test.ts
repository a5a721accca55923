import { describe, expect, it, vi } from "vitest";

// A writer thread that dies at its first message, as one that ran out of memory would.
vi.mock("node:worker_threads", async (importOriginal) => {
  const { EventEmitter } = await import("node:events");
  class DyingWorker extends EventEmitter {
    ref(): void {}
    unref(): void {}
    postMessage(): void {
      queueMicrotask(() => this.emit("error", new Error("out of memory")));
    }
  }
  return { ...(await importOriginal<object>()), Worker: DyingWorker };
});

const { BackgroundFiles } = await import("../../src/report/backgroundFiles.js");

describe("artifacts whose writer thread dies", () => {
  it("fail the next flush of every writer whose files it may have lost, and never hang", async () => {
    const sentBeforeTheCrash = new BackgroundFiles();
    // 64 files fill a message, which goes to the thread at once.
    for (let i = 0; i < 64; i++) sentBeforeTheCrash.write(`/nowhere/${i}.json`, "{}");
    await new Promise((resolve) => setImmediate(resolve));
    const waitingOnTheCrash = new BackgroundFiles();
    waitingOnTheCrash.write("/nowhere/late.json", "{}");

    await expect(sentBeforeTheCrash.flush()).rejects.toThrow("the artifact writer thread stopped: out of memory");
    await expect(waitingOnTheCrash.flush()).rejects.toThrow("out of memory");
    // Reported once: nothing was sent since.
    await expect(sentBeforeTheCrash.flush()).resolves.toBeUndefined();
  });
});
