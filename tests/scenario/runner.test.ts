import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { runScenario } from "../../src/scenario/index.js";
import { flatScenario, scenarioOf, tempDir } from "./fixtures.js";

const HALT = flatScenario({
  name: "halt",
  injections: [{ drawdown: { date: "2021-02-01", to: 0.08 } }],
  expect: [{ state: { between: ["2021-02-01", "2021-02-12"], is: "HALTED" } }, { state: { date: "2021-02-16", is: "ACTIVE" } }],
});

describe("running one scenario", () => {
  it("passes when every expectation holds and records the run's hashes", async () => {
    const result = await runScenario(scenarioOf(flatScenario()), { outDir: tempDir() });

    expect(result).toMatchObject({ name: "flat", file: "scenarios/flat.yaml", status: "pass", passed: true, failures: [], threadId: 0 });
    expect(result.hashes?.eventsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports a failed expectation with expected, actual and the events around its date", async () => {
    const result = await runScenario(scenarioOf(HALT), { outDir: tempDir() });

    expect(result.status).toBe("fail");
    expect(result.expectations.map((check) => check.ok)).toEqual([true, false]);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ expectation: "expect[1].state", expected: "state ACTIVE on 2021-02-16", actual: "RAMPUP on 2021-02-16", date: "2021-02-16" });
    expect(failure.trail).toContain("2021-02-16 rampup_started RAMPUP_STARTED: sessions=5 sizing=0.5000");
    expect(failure.trail.every((line) => line >= "2021-02-10" && line < "2021-02-22")).toBe(true);
  });

  it("runs the same scenario to byte-identical events and timeline", async () => {
    const [first, second] = [tempDir(), tempDir()];
    await runScenario(scenarioOf(HALT), { outDir: first });
    await runScenario(scenarioOf(HALT), { outDir: second });

    for (const file of ["events.jsonl", "timeline.csv"]) {
      expect(readFileSync(join(second, file), "utf8")).toBe(readFileSync(join(first, file), "utf8"));
    }
  });

  it("fails a run whose output no longer matches its golden hashes", async () => {
    const golden = { events_sha256: "0".repeat(64), timeline_sha256: "1".repeat(64) };

    const result = await runScenario(scenarioOf(flatScenario({ golden })), { outDir: tempDir() });

    expect(result.failures.map((failure) => failure.expectation)).toEqual(["golden.events_sha256", "golden.timeline_sha256"]);
    expect(result.failures[0].expected).toBe(`events.jsonl sha256 ${"0".repeat(64)}`);
  });

  it("skips the golden check when asked to, as --update-golden does", async () => {
    const golden = { events_sha256: "0".repeat(64), timeline_sha256: "1".repeat(64) };

    const result = await runScenario(scenarioOf(flatScenario({ golden })), { outDir: tempDir(), checkGolden: false });

    expect(result.passed).toBe(true);
  });

  it("calls a scenario whose strategy cannot be built invalid, naming the strategy's path", async () => {
    const result = await runScenario(scenarioOf(flatScenario({ strategies: [{ name: "buy_and_hold", params: { symbol: "AAA", size: 3 } }] })), { outDir: tempDir() });

    expect(result).toMatchObject({ status: "invalid", passed: false });
    expect(result.error).toBe("scenarios/flat.yaml: strategies[0]: buy_and_hold: unknown param size; known params: symbol, weight, rebalance_band");
  });

  it("calls a replay window past the end of the data invalid, naming data.to and the data's last date", async () => {
    const document = flatScenario({ data: { csv: [{ path: "../data/sp500-2000.csv", symbol: "SPX" }], from: "2020-04-01", to: "2020-05-29" } });
    const result = await runScenario(scenarioOf({ ...document, strategies: [{ name: "buy_and_hold" }], expect: [{ max_drawdown: { below: 1 } }] }), { outDir: tempDir() });

    expect(result.status).toBe("invalid");
    expect(result.error).toBe("scenarios/flat.yaml: data.to: 2020-05-29 is after the last date in the data (2020-04-17); end the replay at or before 2020-04-17");
  });

  it("times the run with the stopwatch it is given", async () => {
    let now = 1000;
    const stopwatch = { now: () => (now += 250) };

    const result = await runScenario(scenarioOf(flatScenario()), { outDir: tempDir(), stopwatch });

    expect(result.durationMs).toBe(250);
  });
});
