import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it, expect } from "vitest";
import { checkExpectation, parseScenario, runScenario, runSuite, type CountSpec, type Expectation, type SuiteResult } from "../../src/scenario/index.js";
import { recordingsOf, ROOT, SCENARIOS_DIR, tempDir } from "./fixtures.js";

/** The opposite of a count: a different exact number, or the values outside min..max. */
function flipCount(spec: CountSpec): CountSpec {
  if (spec.count !== undefined) return { count: spec.count + 1 };
  return spec.min !== undefined && spec.min > 0 ? { max: spec.min - 1 } : { min: (spec.max ?? 0) + 1 };
}

/** An expectation that must fail wherever `expectation` passes; undefined for `no_entries`, which has no opposite of its own. */
function flipped(expectation: Expectation): Expectation | undefined {
  switch (expectation.kind) {
    case "state":
      return { ...expectation, is: expectation.is === "ACTIVE" ? "HALTED" : "ACTIVE" };
    case "multiplier":
      return { ...expectation, is: expectation.is === 1 ? 0.5 : 1 };
    case "event":
    case "orders":
    case "emails":
      return { ...expectation, count: flipCount(expectation.count) };
    case "blocked":
      return { ...expectation, kind: "not_blocked" };
    case "not_blocked":
      return { ...expectation, kind: "blocked", reason: expectation.reason ?? "STALE_DATA" };
    case "artifact":
      return { ...expectation, exists: !expectation.exists };
    case "health":
      return { ...expectation, status: expectation.status === "HEALTHY" ? "CRITICAL" : "HEALTHY" };
    case "equity":
      return expectation.max !== undefined ? { ...expectation, min: expectation.max + 0.01, max: undefined } : { ...expectation, min: undefined, max: expectation.min! - 0.01 };
    case "max_drawdown":
      return { ...expectation, below: expectation.above, above: expectation.below };
    case "no_entries":
      return undefined;
  }
}

describe("the shipped scenario suite", () => {
  const outDir = tempDir("tg-shipped-");
  let suite: SuiteResult;

  beforeAll(async () => {
    suite = await runSuite({ paths: [], cwd: ROOT, outDir, jobs: 2 });
  }, 120_000);

  it("passes as a whole (the CI gate)", () => {
    const failed = suite.results.filter((result) => !result.passed).map((result) => ({ file: result.file, error: result.error, failures: result.failures }));

    expect(failed).toEqual([]);
    expect(suite.exitCode).toBe(0);
  });

  it("holds one scenario per file of scenarios/", () => {
    const files = readdirSync(SCENARIOS_DIR).filter((file) => file.endsWith(".yaml")).map((file) => `scenarios/${file}`);

    expect(suite.results.map((result) => result.file)).toEqual(files.sort());
    expect(files.length).toBeGreaterThanOrEqual(27);
  });

  it("has expectations that can fail: each one flipped fails against the same run", () => {
    const survivors: string[] = [];
    for (const result of suite.results) {
      const scenario = parseScenario(readFileSync(join(ROOT, result.file), "utf8"), result.file, SCENARIOS_DIR);
      const run = recordingsOf(result.runDir);
      for (const expectation of scenario.expect) {
        const opposite = flipped(expectation);
        if (opposite && checkExpectation(opposite, run).ok) survivors.push(`${result.file} ${expectation.path}`);
      }
    }

    expect(survivors).toEqual([]);
  });

  it("pins every real-history run with golden hashes, and the restart twins with the same ones", () => {
    const golden = (file: string) => parseScenario(readFileSync(join(SCENARIOS_DIR, file), "utf8"), file, SCENARIOS_DIR).golden;

    for (const file of readdirSync(SCENARIOS_DIR).filter((name) => name.startsWith("sp500-"))) expect(golden(file), file).toBeDefined();
    expect(golden("restart-no-duplicate-intents.yaml")).toEqual(golden("restart-twin-without-restart.yaml"));
  });

  it("runs the README's example scenario to a pass", async () => {
    const readme = readFileSync(join(SCENARIOS_DIR, "README.md"), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1];

    const result = await runScenario(parseScenario(example, "scenarios/README.md", SCENARIOS_DIR), { outDir: tempDir() });

    expect(result.failures).toEqual([]);
    expect(result.status).toBe("pass");
  });
});
