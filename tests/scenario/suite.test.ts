import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { expandScenarioPaths, junitXml, parseShard, runSuite, ScenarioError, shardOf, type SuiteOptions } from "../../src/scenario/index.js";
import { flatScenario, ROOT, tempDir, toYaml } from "./fixtures.js";

const PASSING = flatScenario({ name: "passing" });
const FAILING = flatScenario({ name: "failing", expect: [{ state: { date: "2021-01-04", is: "PANIC" } }, { event: { type: "drawdown_halt", count: 1 } }] });
const INVALID = { ...flatScenario({ name: "invalid" }), expect: [{ state: { date: "2021-01-04", is: "STOPPED" } }] };

/** A folder of scenario files, `name → document`. */
function suiteDir(files: Record<string, unknown>): string {
  const dir = tempDir();
  for (const [name, document] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), typeof document === "string" ? document : toYaml(document));
  }
  return dir;
}

function suite(cwd: string, options: Partial<SuiteOptions> = {}) {
  return runSuite({ paths: ["."], cwd, outDir: join(cwd, "out"), jobs: 1, ...options });
}

/** Tags open and close in order, attributes are quoted, and text holds no bare `<` or `&`. */
function isWellFormedXml(text: string): boolean {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, , selfClosing, textPart] = match;
    if (textPart !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(textPart)) return false;
    } else if (closing) {
      if (stack.pop() !== name) return false;
    } else if (!selfClosing) stack.push(name);
  }
  return consumed === body.length && stack.length === 0;
}

describe("the scenario suite runner", () => {
  it("exits 0 when every scenario passes", async () => {
    const { exitCode, results } = await suite(suiteDir({ "a.yaml": PASSING }));

    expect(exitCode).toBe(0);
    expect(results.map((result) => result.status)).toEqual(["pass"]);
  });

  it("exits 1 when a scenario fails, and still runs the others", async () => {
    const { exitCode, results } = await suite(suiteDir({ "a.yaml": PASSING, "b.yaml": FAILING }));

    expect(exitCode).toBe(1);
    expect(results.map((result) => `${result.file} ${result.status}`)).toEqual(["a.yaml pass", "b.yaml fail"]);
  });

  it("exits 2 when a scenario file is invalid, reporting it among the results", async () => {
    const { exitCode, results } = await suite(suiteDir({ "a.yaml": PASSING, "b.yaml": FAILING, "c.yaml": INVALID }));

    expect(exitCode).toBe(2);
    expect(results.find((result) => result.file === "c.yaml")?.error).toBe('c.yaml: expect[0].state.is: expected one of ACTIVE, HALTED, PANIC, RAMPUP, got "STOPPED"');
  });

  it("calls a second scenario with the same name invalid, since names are run folders", async () => {
    const { exitCode, results } = await suite(suiteDir({ "a.yaml": PASSING, "b.yaml": PASSING }));

    expect(exitCode).toBe(2);
    expect(results[1].error).toContain("b.yaml: name: passing is also the name of a.yaml");
  });

  it("refuses a path or glob that matches no scenario file", async () => {
    const cwd = suiteDir({ "a.yaml": PASSING });

    await expect(suite(cwd, { paths: ["nothing-*.yaml"] })).rejects.toThrow(ScenarioError);
    await expect(suite(cwd, { paths: ["missing.yaml"] })).rejects.toThrow("missing.yaml: no scenario file (.yaml, .yml, .json) matches");
  });

  it("prints one line per scenario and, for a failure, expected against actual", async () => {
    const printed: string[] = [];

    await suite(suiteDir({ "b.yaml": FAILING }), { write: (text) => printed.push(text) });

    const output = printed.join("");
    expect(output).toMatch(/^FAIL failing \(\d+\.\d\ds\) b\.yaml\n/);
    expect(output).toContain("  ✗ expect[0].state\n      expected: state PANIC on 2021-01-04\n      actual:   ACTIVE on 2021-01-04\n");
    expect(output).toContain("  ✗ expect[1].event\n      expected: 1 drawdown_halt event(s)\n      actual:   0\n");
    expect(output).toMatch(/0 passed, 1 failed of 1 scenarios in/);
  });

  it("finds the scenario files of a folder but not of its sub-folders, and globs across folders with **", () => {
    const cwd = suiteDir({ "s/a.yaml": PASSING, "s/b.json": "{}", "s/README.md": "#", "s/deeper/c.yml": PASSING });

    expect(expandScenarioPaths(["s"], cwd)).toEqual(["s/a.yaml", "s/b.json"]);
    expect(expandScenarioPaths(["s/**/*.y*ml"], cwd)).toEqual(["s/a.yaml", "s/deeper/c.yml"]);
    expect(expandScenarioPaths(["s/?.yaml", "s/a.yaml"], cwd)).toEqual(["s/a.yaml"]);
  });

  it("splits files into shards the same way on every machine: disjoint, covering all, by sorted path", () => {
    const files = ["d.yaml", "a.yaml", "c.yaml", "b.yaml", "e.yaml"];

    const shards = [1, 2, 3].map((index) => shardOf(files, parseShard(`${index}/3`)));

    expect(shards).toEqual([["a.yaml", "d.yaml"], ["b.yaml", "e.yaml"], ["c.yaml"]]);
  });

  it("refuses a shard that does not exist", () => {
    expect(() => parseShard("4/3")).toThrow("--shard: expected i/n with 1 <= i <= n (e.g. 2/3), got \"4/3\"");
    expect(() => parseShard("a/b")).toThrow(ScenarioError);
  });

  it("runs only its shard of the suite", async () => {
    const cwd = suiteDir({ "a.yaml": PASSING, "b.yaml": FAILING });

    const { exitCode, results } = await suite(cwd, { shard: parseShard("1/2") });

    expect([exitCode, results.map((result) => result.file)]).toEqual([0, ["a.yaml"]]);
  });

  it("writes well-formed JUnit XML with a testcase per scenario and a JSON report", async () => {
    const cwd = suiteDir({ "a.yaml": PASSING, "b.yaml": FAILING, "c.yaml": INVALID });

    await suite(cwd, { junit: join(cwd, "reports/junit.xml"), json: join(cwd, "reports/suite.json") });

    const xml = readFileSync(join(cwd, "reports/junit.xml"), "utf8");
    expect(isWellFormedXml(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="tradeguard scenarios" tests="3" failures="1" errors="1"');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain("expected: state PANIC on 2021-01-04");
    const json = JSON.parse(readFileSync(join(cwd, "reports/suite.json"), "utf8"));
    expect(json).toMatchObject({ passed: 1, failed: 1, invalid: 1, total: 3 });
  });

  it("escapes text in JUnit XML", () => {
    const result = { name: "a&b", file: "x<y>.yaml", status: "invalid" as const, passed: false, durationMs: 0, runDir: "", expectations: [], failures: [], error: 'bad "quote" & <tag>\u0001', threadId: 0, hasReport: false };

    const xml = junitXml([result]);

    expect(isWellFormedXml(xml)).toBe(true);
    expect(xml).toContain('name="a&amp;b" file="x&lt;y&gt;.yaml"');
  });

  it("rewrites the golden block of each passing scenario and keeps the rest of the file", async () => {
    const text = `# my scenario\n${toYaml(PASSING)}golden:\n  events_sha256: "${"0".repeat(64)}"\n  timeline_sha256: "${"0".repeat(64)}"\n`;
    const cwd = suiteDir({ "a.yaml": text, "b.yaml": FAILING });

    const updating = await suite(cwd, { updateGolden: true });
    const checking = await suite(cwd, { paths: ["a.yaml"] });

    expect(updating.results.map((result) => result.status)).toEqual(["pass", "fail"]);
    const rewritten = readFileSync(join(cwd, "a.yaml"), "utf8");
    expect(rewritten.startsWith(`# my scenario\n${toYaml(PASSING)}golden:\n  events_sha256: "${updating.results[0].hashes!.eventsSha256}"\n`)).toBe(true);
    expect(readFileSync(join(cwd, "b.yaml"), "utf8")).not.toContain("golden");
    expect(checking.exitCode).toBe(0);
    expect(checking.results[0].expectations.map((check) => check.expectation)).toContain("golden.events_sha256");
  });

  it("runs scenarios in parallel worker threads, each in its own run folder", async () => {
    const files = Object.fromEntries(["a", "b", "c", "d"].map((name) => [`${name}.yaml`, flatScenario({ name })]));
    const cwd = suiteDir(files);

    const { exitCode, results } = await suite(cwd, { jobs: 2 });

    expect(exitCode).toBe(0);
    expect(results.map((result) => result.runDir)).toEqual(["a", "b", "c", "d"].map((name) => join(cwd, "out", name)));
    const threads = new Set(results.map((result) => result.threadId));
    expect(threads.size).toBe(2);
    expect(threads.has(0)).toBe(false);
  });
});

describe("tradeguard scenarios run", () => {
  const cli = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "src", "cli", "bin.js"), "scenarios", "run", ...args, "--out", join(cwd, "out")], { cwd, encoding: "utf8" });

  it("exits 0 when all pass, 1 on a failure and 2 on invalid input", () => {
    const cwd = suiteDir({ "a.yaml": PASSING, "b.yaml": FAILING, "c.yaml": INVALID });

    const passing = cli(cwd, "a.yaml", "--jobs", "1");
    const failing = cli(cwd, "a.yaml", "b.yaml", "--jobs", "1");
    const invalid = cli(cwd, "c.yaml", "--jobs", "1");
    const unmatched = cli(cwd, "zzz*.yaml");

    expect([passing.status, failing.status, invalid.status, unmatched.status]).toEqual([0, 1, 2, 2]);
    expect(passing.stdout).toMatch(/^PASS passing /);
    expect(failing.stdout).toContain("FAIL failing");
    expect(unmatched.stderr).toBe("tradeguard: zzz*.yaml: no scenario file (.yaml, .yml, .json) matches\n");
  });

  it("writes on two workers the files and reports one thread writes, the CSV parsed once and handed to both", () => {
    const onSp500 = (name: string, to: string) => flatScenario({
      name, data: { csv: [{ path: join(ROOT, "data", "sp500-2000.csv"), symbol: "SPX" }], from: "2020-01-02", to },
      strategies: [{ name: "buy_and_hold", params: { symbol: "SPX" } }], expect: [{ state: { date: "2020-01-02", is: "ACTIVE" } }],
    });
    const files = { "a.yaml": onSp500("a", "2020-02-28"), "b.yaml": PASSING, "c.yaml": onSp500("c", "2020-03-31"), "d.yaml": onSp500("d", "2020-04-17") };
    const [oneThread, twoWorkers] = [suiteDir(files), suiteDir(files)];
    const names = Object.keys(files);

    const sequential = cli(oneThread, ...names, "--jobs", "1");
    const parallel = cli(twoWorkers, ...names, "--jobs", "2");

    // A worker thread that drew charts must not take the native canvas library down with it (exit 139).
    expect([sequential.status, parallel.status]).toEqual([0, 0]);
    for (const name of ["a", "passing", "c", "d"]) {
      const run = (cwd: string) => join(cwd, "out", name);
      const charts = readdirSync(join(run(twoWorkers), "charts"));
      expect(charts.length).toBeGreaterThan(0);
      for (const file of ["events.jsonl", "timeline.csv", "report.md", ...charts.map((chart) => join("charts", chart))]) {
        expect(readFileSync(join(run(twoWorkers), file)), `${name}/${file}`).toEqual(readFileSync(join(run(oneThread), file)));
      }
      expect(existsSync(join(run(twoWorkers), "report.html"))).toBe(true);
    }
  });
});
