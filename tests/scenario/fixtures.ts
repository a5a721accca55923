import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { SimulatedClock } from "../../src/clock/index.js";
import { parseScenario, runScenario, type RunRecordings, type Scenario, type ScenarioRunResult } from "../../src/scenario/index.js";
import { openStore } from "../../src/store/index.js";

/** The repository root, for the shipped data and scenarios. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SCENARIOS_DIR = join(ROOT, "scenarios");

/** A fresh temporary folder. */
export function tempDir(prefix = "tg-scenario-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A scenario document (the YAML shape) on flat prices of 100: two buy-and-hold strategies, $100,000, Q1 2021. */
export function flatScenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "flat",
    seed: 1,
    capital: 100000,
    data: { synthetic: { symbols: ["AAA", "BBB"], drift: 0, volatility: 0, jump_intensity: 0 }, from: "2021-01-04", to: "2021-03-31" },
    strategies: [
      { name: "buy_and_hold", id: "bh_aaa", params: { symbol: "AAA" } },
      { name: "buy_and_hold", id: "bh_bbb", params: { symbol: "BBB" } },
    ],
    expect: [{ state: { date: "2021-01-04", is: "ACTIVE" } }],
    ...overrides,
  };
}

export function toYaml(document: unknown): string {
  return stringify(document);
}

/** Validates a scenario document as if it were `scenarios/<name>.yaml`. */
export function scenarioOf(document: Record<string, unknown>): Scenario {
  return parseScenario(toYaml(document), `scenarios/${String(document.name)}.yaml`, SCENARIOS_DIR);
}

/** What a finished run left in its store, read back after the run. */
export function recordingsOf(outDir: string): RunRecordings {
  const store = openStore(join(outDir, "tradeguard.db"), new SimulatedClock(0));
  try {
    const runId = store.latestRun()!.runId;
    return { outDir, equity: store.listEquity(runId), events: store.listEvents(runId), orders: store.listOrders(runId) };
  } finally {
    store.close();
  }
}

/** Runs a scenario document in a fresh folder and returns its result and recordings. */
export async function runDocument(document: Record<string, unknown>): Promise<{ result: ScenarioRunResult; run: RunRecordings }> {
  const outDir = tempDir();
  const result = await runScenario(scenarioOf(document), { outDir });
  return { result, run: result.status === "invalid" ? { outDir, equity: [], events: [], orders: [] } : recordingsOf(outDir) };
}
