import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { loadScenario, parseScenario, ScenarioError } from "../../src/scenario/index.js";
import { flatScenario, ROOT, SCENARIOS_DIR, tempDir, toYaml } from "./fixtures.js";

const FILE = "scenarios/x.yaml";

function errorOf(document: unknown): string {
  try {
    parseScenario(typeof document === "string" ? document : toYaml(document), FILE, SCENARIOS_DIR);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error("the scenario was accepted");
}

const withInjections = (...injections: unknown[]) => flatScenario({ injections });
const withExpect = (...expectations: unknown[]) => flatScenario({ expect: expectations });

describe("scenario validation", () => {
  it.each([
    ["a YAML syntax error", "name: [unclosed\n", `${FILE}: line 2:`],
    ["a file that is not a mapping", "- just\n- a list\n", `${FILE}: expected a mapping with keys name,`],
    ["an unknown top-level key", flatScenario({ expectations: [] }), `${FILE}: expectations: unknown key; expected one of name,`],
    ["a missing name", flatScenario({ name: undefined }), `${FILE}: name: expected a non-empty string, got nothing`],
    ["a name that cannot name a folder", flatScenario({ name: "my halt" }), `${FILE}: name: expected a name of letters, digits, '.', '_' or '-' (it names the run's folder), got "my halt"`],
    ["both csv and synthetic data", flatScenario({ data: { csv: [], synthetic: { symbols: 1 }, from: "2021-01-04", to: "2021-01-08" } }), `${FILE}: data: expected exactly one of \`csv\` or \`synthetic\``],
    ["a CSV file that does not exist", flatScenario({ data: { csv: [{ path: "nope.csv" }], from: "2021-01-04", to: "2021-01-08" } }), `${FILE}: data.csv[0].path: file not found: ${join(SCENARIOS_DIR, "nope.csv")}`],
    ["an impossible date", flatScenario({ data: { synthetic: { symbols: 1 }, from: "2021-13-01", to: "2021-12-31" } }), `${FILE}: data.from: expected a date YYYY-MM-DD, got "2021-13-01"`],
    ["a replay that starts on a weekend", flatScenario({ data: { synthetic: { symbols: 1 }, from: "2021-01-02", to: "2021-03-31" } }), `${FILE}: data.from: 2021-01-02 is not an NYSE session (weekend, holiday or closure); nearest sessions 2020-12-31 and 2021-01-04`],
    ["a replay that ends on a holiday", flatScenario({ data: { synthetic: { symbols: 1 }, from: "2021-01-04", to: "2021-01-18" } }), `${FILE}: data.to: 2021-01-18 is not an NYSE session (weekend, holiday or closure); nearest sessions 2021-01-15 and 2021-01-19`],
    ["a replay outside the calendar's years", flatScenario({ data: { synthetic: { symbols: 1 }, from: "1985-01-02", to: "2021-01-08" } }), `${FILE}: data.from: '1985-01-02' is outside the NYSE calendar range 1990-01-01..2040-12-31`],
    ["a negative volatility", flatScenario({ data: { synthetic: { symbols: 1, volatility: -0.2 }, from: "2021-01-04", to: "2021-01-08" } }), `${FILE}: data.synthetic.volatility: expected a number >= 0, got -0.2`],
    ["a correlation above 1", flatScenario({ data: { synthetic: { symbols: 2, correlation: 1.2 }, from: "2021-01-04", to: "2021-01-08" } }), `${FILE}: data.synthetic.correlation: expected a number from 0 to 1, got 1.2`],
    ["strategies that are not a list", flatScenario({ strategies: { name: "buy_and_hold" } }), `${FILE}: strategies: expected a list of strategies, got a mapping`],
    ["an unknown configuration key", flatScenario({ config: { DRAWDOWN_HALT: 0.05 } }), `${FILE}: config.DRAWDOWN_HALT: unknown configuration key; see \`tradeguard config\` for the list`],
    ["a configuration value of the wrong type", flatScenario({ config: { DRAWDOWN_HALT_THRESHOLD: "abc" } }), `${FILE}: config.DRAWDOWN_HALT_THRESHOLD: expected a number, got "abc"`],
    ["a key set both by a shorthand and in config", flatScenario({ config: { INITIAL_CAPITAL: 5 } }), `${FILE}: config.INITIAL_CAPITAL: also set by \`capital\`; set it once`],
    ["a panic threshold below the halt threshold", flatScenario({ config: { DRAWDOWN_PANIC_THRESHOLD: 0.05 } }), `${FILE}: config: DRAWDOWN_PANIC_THRESHOLD (0.05) must be ≥ DRAWDOWN_HALT_THRESHOLD (0.08)`],
    [
      "an injection field of the wrong type",
      withInjections({ restart: { date: "2021-01-05" } }, { restart: { date: "2021-01-06" } }, { stale_feed: { symbol: "AAA", from: "2021-01-05", sessions: "three" } }),
      `${FILE}: injections[2].stale_feed.sessions: expected a positive integer, got "three"`,
    ],
    ["an unknown injection kind", withInjections({ meteor: { date: "2021-01-05" } }), `${FILE}: injections[0].meteor: unknown kind; expected one of stale_feed, nan_values,`],
    ["an injection item with two kinds", withInjections({ restart: { date: "2021-01-05" }, drawdown: { date: "2021-01-05", to: 0.08 } }), `${FILE}: injections[0]: expected a mapping with one key, one of stale_feed,`],
    ["an unknown injection field", withInjections({ drawdown: { date: "2021-01-05", depth: 0.08 } }), `${FILE}: injections[0].drawdown.depth: unknown key; expected one of date, to`],
    ["an injection on a weekend", withInjections({ drawdown: { date: "2021-01-09", to: 0.08 } }), `${FILE}: injections[0].drawdown.date: 2021-01-09 is not an NYSE session (weekend, holiday or closure); nearest sessions 2021-01-08 and 2021-01-11`],
    ["an injection outside the replay window", withInjections({ restart: { date: "2021-04-01" } }), `${FILE}: injections[0].restart.date: 2021-04-01 is outside the replay window 2021-01-04..2021-03-31`],
    ["an unknown broker fault", withInjections({ broker_fault: { from: "2021-01-05", sessions: 2, kind: "crash" } }), `${FILE}: injections[0].broker_fault.kind: expected one of reject, timeout, outage, partial_fill, duplicate_client_order_id, got "crash"`],
    ["a drawdown depth above 1", withInjections({ drawdown: { date: "2021-01-05", to: 1.5 } }), `${FILE}: injections[0].drawdown.to: expected a number from 0 to 1, got 1.5`],
    ["a kill switch neither on nor off", withInjections({ kill_switch: { date: "2021-01-05", switch: "maybe" } }), `${FILE}: injections[0].kill_switch.switch: expected one of on, off, got "maybe"`],
    ["no expectations", withExpect(), `${FILE}: expect: expected at least one expectation, got a list`],
    ["an unknown state", withExpect({ state: { date: "2021-01-05", is: "STOPPED" } }), `${FILE}: expect[0].state.is: expected one of ACTIVE, HALTED, PANIC, RAMPUP, got "STOPPED"`],
    ["a reversed range", withExpect({ state: { between: ["2021-02-01", "2021-01-05"], is: "ACTIVE" } }), `${FILE}: expect[0].state.between: range starts 2021-02-01 after it ends 2021-01-05`],
    ["a range of three dates", withExpect({ state: { between: ["2021-01-05", "2021-01-06", "2021-01-07"], is: "ACTIVE" } }), `${FILE}: expect[0].state.between: expected a list of two dates [from, to], got a list`],
    ["an expectation without its range", withExpect({ no_entries: { strategy: "bh_aaa" } }), `${FILE}: expect[0].no_entries: expected \`date\`, \`between: [from, to]\` or \`from\` and \`to\``],
    ["a count given twice", withExpect({ event: { type: "drawdown_halt", count: 1, min: 1 } }), `${FILE}: expect[0].event.count: give either count or min/max, not both`],
    ["an orders expectation without a count", withExpect({ orders: { side: "buy" } }), `${FILE}: expect[0].orders: expected \`count\`, \`min\` or \`max\``],
    ["a golden hash that is not a sha256", flatScenario({ golden: { events_sha256: "abc", timeline_sha256: "0".repeat(64) } }), `${FILE}: golden.events_sha256: expected a sha256 of 64 lower-case hex digits, got "abc"`],
  ])("names the file, the path and what was expected for %s", (_title, document, message) => {
    expect(errorOf(document)).toContain(message);
  });

  it("reports every error on one line", () => {
    const message = errorOf(withInjections({ stale_feed: { symbol: "AAA", from: "2021-01-05", sessions: 0 } }));

    expect(message).toBe(`${FILE}: injections[0].stale_feed.sessions: expected a positive integer, got 0`);
  });

  it("reads a JSON scenario like a YAML one", () => {
    const dir = tempDir();
    const file = join(dir, "flat.json");
    writeFileSync(file, JSON.stringify(flatScenario()));

    const scenario = loadScenario(file);

    expect(scenario.name).toBe("flat");
    expect(scenario.strategies.map((strategy) => strategy.id)).toEqual(["bh_aaa", "bh_bbb"]);
  });

  it("resolves CSV paths against the scenario's folder and keeps them as written for the run id", () => {
    const scenario = parseScenario(
      toYaml(flatScenario({
        data: { csv: [{ path: "../data/sp500-2000.csv", symbol: "SPX" }], from: "2020-01-02", to: "2020-01-31" },
        expect: [{ state: { date: "2020-01-02", is: "ACTIVE" } }],
      })),
      FILE,
      SCENARIOS_DIR,
    );

    expect(scenario.data.csv).toEqual([{ path: join(ROOT, "data", "sp500-2000.csv"), written: "../data/sp500-2000.csv", symbol: "SPX" }]);
  });

  it("reads the synthetic block's correlation and leaves it unset when absent", () => {
    const correlated = parseScenario(toYaml(flatScenario({ data: { synthetic: { symbols: 2, correlation: 0.8 }, from: "2021-01-04", to: "2021-01-08" } })), FILE, SCENARIOS_DIR);
    const plain = parseScenario(toYaml(flatScenario({ data: { synthetic: { symbols: 2 }, from: "2021-01-04", to: "2021-01-08" } })), FILE, SCENARIOS_DIR);

    expect(correlated.data.synthetic?.correlation).toBe(0.8);
    expect(plain.data.synthetic).not.toHaveProperty("correlation", expect.anything());
  });

  it("turns the top-level shorthands into configuration keys", () => {
    const scenario = parseScenario(toYaml(flatScenario({ dry_run: true, broker: { slippage_bps: 5, commission: 1, fractional: false } })), FILE, SCENARIOS_DIR);

    expect(scenario.config).toEqual({ INITIAL_CAPITAL: "100000", SLIPPAGE_BPS: "5", COMMISSION_PER_ORDER: "1", ALLOW_FRACTIONAL: "false", DRY_RUN: "true" });
  });

  it("names a file it cannot read", () => {
    expect(() => loadScenario(join(tempDir(), "missing.yaml"), "missing.yaml")).toThrow("missing.yaml: cannot read the file; check the path");
  });
});
