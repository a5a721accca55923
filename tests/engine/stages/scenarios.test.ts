import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../../src/scenario/index.js";
import { SCENARIOS_DIR, tempDir } from "../../scenario/fixtures.js";

/**
 * Every stage, driven through each shipped scenario in this thread, one test per scenario: its expectations and
 * its golden hashes (every event with its reason and detail, every timeline row) must hold. The scenario suite
 * test runs the same files in worker threads as one test; here each scenario is its own test, so a mutation run
 * (`TG_MUTATION_TESTS=stages`) sees which scenarios reach which line of `src/engine/stages/` and runs only those.
 */
const FILES = readdirSync(SCENARIOS_DIR).filter((file) => file.endsWith(".yaml")).sort();

describe("the stages through each shipped scenario", () => {
  it("has scenarios to run", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(27);
  });

  for (const file of FILES) {
    it(file, async () => {
      const scenario = parseScenario(readFileSync(join(SCENARIOS_DIR, file), "utf8"), `scenarios/${file}`, SCENARIOS_DIR);
      expect(scenario.golden, "a golden hash pins each scenario's events and timeline").toBeDefined();

      const result = await runScenario(scenario, { outDir: tempDir("tg-stage-scenario-") });

      const failed = result.failures.map((failure) => `${failure.expectation}: expected ${failure.expected}, got ${failure.actual}`);
      expect({ status: result.status, error: result.error, failed }).toEqual({ status: "pass", error: undefined, failed: [] });
      expect(result.expectations.length).toBeGreaterThan(scenario.expect.length);
    }, 60_000);
  }
});
