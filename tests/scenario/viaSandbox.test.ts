import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../src/clock/index.js";
import { runSuite } from "../../src/scenario/index.js";
import { openStore } from "../../src/store/index.js";
import { ROOT, tempDir } from "./fixtures.js";

/** Shipped scenarios whose broker sees faults, restarts, drift, dry runs and a panic flatten. */
const SCENARIOS = ["broker-outage", "broker-rejections", "restart-no-duplicate-intents", "health-check-fails-on-drift", "dry-run", "panic-10pct-flatten"];

/** Every order the run's store holds, as the broker reported it. */
function orders(runDir: string): unknown[] {
  const store = openStore(join(runDir, "tradeguard.db"), new SimulatedClock(0));
  try {
    return store.listOrders(store.latestRun()!.runId);
  } finally {
    store.close();
  }
}

describe("scenarios run --via-sandbox", () => {
  it("passes each scenario through Alpaca adapter → HTTP → sandbox with the same events, orders and final state as the direct run", async () => {
    const paths = SCENARIOS.map((name) => join(ROOT, "scenarios", `${name}.yaml`));
    const direct = await runSuite({ paths, cwd: ROOT, outDir: tempDir("direct-"), jobs: 1 });
    const viaSandbox = await runSuite({ paths, cwd: ROOT, outDir: tempDir("via-sandbox-"), jobs: 1, viaSandbox: true });

    expect(viaSandbox.results.map((result) => [result.name, result.status, result.error])).toEqual(direct.results.map((result) => [result.name, "pass", undefined]));
    for (const [i, result] of viaSandbox.results.entries()) {
      const twin = direct.results[i];
      expect(result.hashes, result.name).toEqual(twin.hashes);
      expect(orders(result.runDir), result.name).toEqual(orders(twin.runDir));
      expect(readFileSync(join(result.runDir, "summary.json"), "utf8"), result.name).toBe(readFileSync(join(twin.runDir, "summary.json"), "utf8"));
    }
  });
});
